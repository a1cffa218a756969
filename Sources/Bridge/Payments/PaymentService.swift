import Foundation
import Jobber
import Ledger
import Logging
import PosPlusCore

/// The one path every payment takes (ARCHITECTURE.md): check the invoice in Jobber, record the
/// intent, check again, send, record the answer and queue its follow-up work with it.
///
/// Operations: ``charge(_:on:operator:idempotencyKey:)`` (a sale, a keyed sale, a bank debit, a
/// deposit on an invoice, a charge of a saved card), ``takeDeposit(quoteID:amount:on:operator:idempotencyKey:splitTender:)``
/// (a quote's deposit), ``saveCard(clientID:on:operator:idempotencyKey:)``, and
/// ``reverse(paymentID:_:on:operator:idempotencyKey:)`` (void, refund). Channels: a counter
/// terminal (``TerminalChannel``, through its supervisor) or a processor (``GatewayChannel``: a
/// card saved at Stripe, and payments customers made through links). Every answer is recorded
/// by ``AnswerRecording`` with its Jobber note; ``Recovery`` settles answers that were lost.
///
/// Every step is keyed by the caller's idempotency key, so a caller who retries — after a
/// timeout, a crash, a double click — gets the payment already made under that key, never a
/// second one: a finished payment is returned as it is, an in-doubt one is looked up first,
/// one another live run is sending is waited for, and one that was recorded but never sent is
/// sent now. A new key on an invoice posplus already took money on needs split tender.
public struct PaymentService<C: Clock<Duration>>: Sendable {
    public let ledger: Ledger
    /// Jobber's half of step 2, built when first asked for: only charges and deposits need it,
    /// so a void, a refund, a card save or a lookup works where Jobber is not configured, and a
    /// charge there fails naming the missing setting (``ChargeCheckError/unavailable(_:)``).
    public var check: ChargeCheck<C> { get throws(ChargeCheckError) { try makeCheck() } }
    private let makeCheck: @Sendable () throws(ChargeCheckError) -> ChargeCheck<C>
    /// The business's currency (a card save records a zero amount in it).
    public let currency: Currency
    public let logger: Logger
    /// When a lookup's "not found" proves nothing was charged (`recovery.not_found_after`).
    public var notFoundAfter: Duration
    /// How long a caller waits for another process that is sending the same payment (the same
    /// key, run twice at once) before looking the payment up itself: longer than a terminal
    /// waits for the card.
    public var inFlightPatience: Duration = .seconds(180)
    /// What the wait for another process's answer sleeps on; tests inject their own.
    public var waitClock: any Clock<Duration> = ContinuousClock()
    /// Told as each step boundary of a payment is passed; the crash test kills the process there.
    public var stepObserver: (@Sendable (PaymentStep) -> Void)?
    /// Told where each payment under way has got to (``PaymentProgress``), for live status.
    public var progress: (@Sendable (PaymentProgress) -> Void)?
    /// What waits for a manager (`approvals.*` in config): checked in ``perform(_:on:by:idempotencyKey:)``
    /// once the amount is known and before anything is recorded or sent. None by default.
    public var approvalThresholds = ApprovalThresholds()
    /// What happens to a receipt when money moves (`receipts.mode`): nothing by default.
    public var receiptMode = AutomationMode.off
    /// What follows a decline (`declines.mode`): nothing by default.
    public var declineMode = AutomationMode.off
    /// Risk holds on charges (`risk.*`): off by default. Checked with the approval thresholds,
    /// after Jobber's check and before anything is recorded (``screenCharge(_:invoice:amount:savedCard:on:by:key:)``).
    public var risk = RiskSettings()
    /// The client's payment history in Jobber, for risk's new-client signal; nil: the ledger's
    /// record alone.
    public var clientHistory: ClientHistorySource?

    public init(ledger: Ledger, check: ChargeCheck<C>, logger: Logger, notFoundAfter: Duration = RecoverySettings().notFoundAfter) {
        self.init(ledger: ledger, currency: check.invoices.currency, logger: logger, notFoundAfter: notFoundAfter) { check }
    }

    /// A service whose Jobber check is built by `check` when a charge first needs it (and
    /// throws, naming what is missing, where Jobber is not set up).
    public init(
        ledger: Ledger, currency: Currency, logger: Logger, notFoundAfter: Duration = RecoverySettings().notFoundAfter,
        check: @escaping @Sendable () throws(ChargeCheckError) -> ChargeCheck<C>
    ) {
        self.ledger = ledger
        self.makeCheck = check
        self.currency = currency
        self.logger = logger
        self.notFoundAfter = notFoundAfter
    }

    /// Looks up payments in doubt with this service's settings.
    var recovery: Recovery {
        var recovery = Recovery(ledger: ledger, logger: logger, notFoundAfter: notFoundAfter)
        recovery.receiptMode = receiptMode
        recovery.declineMode = declineMode
        return recovery
    }

    /// What staff ask for at the counter.
    public struct ChargeOrder: Equatable, Sendable {
        /// Which invoice (by number, id, or a client's open one).
        public var target: ChargeCheck<C>.Target
        /// `nil` charges the balance as Jobber states it when the charge is checked.
        public var amount: Money?
        /// Less than the balance must be declared a partial payment or a deposit.
        public var intent: ProposedCharge.Intent
        /// A sale, a keyed sale, a bank debit, a deposit, or a charge of a card on file.
        public var operation: PaymentOperation
        /// For `tokenSale`: the ledger id of the client's saved card.
        public var savedCardID: Int64?
        /// A further payment on an invoice posplus already took money on (split tender). Without
        /// it such a charge is refused, naming the earlier payment and its key: it may be a
        /// retry of a charge whose answer staff never saw.
        public var splitTender: Bool

        public init(
            target: ChargeCheck<C>.Target, amount: Money? = nil, intent: ProposedCharge.Intent = .fullBalance,
            operation: PaymentOperation = .sale, savedCardID: Int64? = nil, splitTender: Bool = false
        ) {
            self.target = target
            self.amount = amount
            self.intent = intent
            self.operation = operation
            self.savedCardID = savedCardID
            self.splitTender = splitTender
        }
    }

    /// Charges an invoice on `channel`; returns the payment as the ledger now has it (approved,
    /// declined, pending, or unknown until Recovery looks it up). The same as
    /// ``perform(_:on:by:idempotencyKey:)`` with ``Order/charge(_:)``.
    ///
    /// Throws ``ChargeCheckError`` when Jobber refuses the charge (nothing is recorded, or the
    /// recorded intent is abandoned with the reason), ``PaymentChannelError`` when the request
    /// provably never reached the terminal (the payment is abandoned: nothing was charged), and
    /// ``Ledger/LedgerError/idempotencyKeyReused(key:existingPaymentID:)`` for a key already used
    /// for something else.
    public func charge(_ order: ChargeOrder, on channel: any PaymentChannel, operator actor: String, idempotencyKey key: IdempotencyKey)
        async throws -> PaymentRecord
    {
        try await perform(.charge(order), on: channel, by: actor, idempotencyKey: key)
    }

    /// A new charge: Jobber's check, earlier answers on the invoice looked up, the intent begun
    /// (the ledger's own checks in the same transaction), then sent.
    func beginCharge(_ order: ChargeOrder, on channel: any PaymentChannel, by actor: String, idempotencyKey key: IdempotencyKey)
        async throws -> PaymentRecord
    {
        guard order.operation.collectsMoney, !order.operation.referencesOriginal else {
            throw LedgerError.invalidRequest("\(order.operation.displayName) is not a charge on an invoice.")
        }
        guard order.operation != .tokenSale || order.savedCardID != nil else {
            throw LedgerError.invalidRequest("A card-on-file sale needs the saved card to charge.")
        }
        let (invoice, charge) = try await check.approve(order.target, amount: order.amount, intent: order.intent)
        let card = try order.savedCardID.map { try savedCard($0, for: invoice, on: channel, operation: order.operation) }
        try await screenCharge(order, invoice: invoice, amount: charge.amount, savedCard: card, on: channel, by: actor, key: key)
        // A payment this very call found taken (its answer had been lost) is shown, never
        // followed by another charge — even with split tender: staff have not seen it yet.
        if let found = await lookUpUnresolvedPayments(on: invoice, channel: channel).first {
            throw LedgerError.alreadyPaid(EarlierPayment(found, on: "invoice #\(invoice.number)"))
        }
        // The ledger refuses, in the same transaction, a charge on an invoice with another one
        // unresolved, with money already taken (unless split tender is declared), or above
        // Jobber's balance less what posplus already collected on it.
        let begun = try ledger.begin(
            PaymentRequest(
                operation: order.operation, amount: charge.amount, intent: charge.intent, invoiceID: invoice.id,
                invoiceNumber: invoice.number, clientID: invoice.clientID, channel: channel.name, savedCardID: order.savedCardID),
            idempotencyKey: key, operator: actor, owedOnInvoice: invoice.balance, splitTender: order.splitTender)
        guard case .created(let payment) = begun else {
            return try await carryOn(begun.payment, as: .charge(order), on: channel, by: actor)
        }
        return try await send(payment, approved: invoice, charge: charge, savedCardID: order.savedCardID, on: channel, operator: actor)
    }

    /// An intent recorded under a key but never sent (the process stopped): Jobber's check
    /// again, on the amount recorded, then send.
    func sendRecordedCharge(_ payment: PaymentRecord, savedCardID: Int64?, on channel: any PaymentChannel, by actor: String)
        async throws -> PaymentRecord
    {
        guard let invoiceID = payment.invoiceID else { return payment }
        let charge = ProposedCharge(amount: payment.requested, intent: payment.intent)
        let invoice = try await check.approve(.invoiceID(invoiceID), charge: charge)
        return try await send(payment, approved: invoice, charge: charge, savedCardID: savedCardID, on: channel, operator: actor)
    }

    /// The client's saved card or bank account `id`, if it may pay `invoice` on `channel` by
    /// `operation`: the invoice's own client's, still on file, saved with the processor behind
    /// this channel, and of the kind the operation takes (a card for a card-on-file sale, a bank
    /// account for a bank debit).
    func savedCard(_ id: Int64, for invoice: InvoiceSnapshot, on channel: any PaymentChannel, operation: PaymentOperation) throws
        -> CardOnFileRecord
    {
        guard let card = try ledger.card(id: id), card.removedAt == nil else { throw LedgerError.cardNotFound(id) }
        switch (operation, card.kind) {
        case (.tokenSale, .card), (.achDebit, .bankAccount): break
        case (.tokenSale, .bankAccount), (.achDebit, .card):
            throw LedgerError.invalidRequest(
                "Saved method \(id) is a \(card.kind == .card ? "card" : "bank account"); "
                    + (card.kind == .card ? "charge it as a card, not a bank debit." : "debit it as a bank account, not a card sale."))
        default:
            throw LedgerError.invalidRequest("A \(operation.displayName.lowercased()) does not take a saved card or bank account.")
        }
        guard card.clientID == invoice.clientID else {
            throw LedgerError.invalidRequest(
                "Card \(id) belongs to another client, not to \(invoice.clientName) of invoice #\(invoice.number).")
        }
        guard card.processor == channel.name else {
            throw LedgerError.invalidRequest("Card \(id) was saved on \(card.processor); charge it there, not on \(channel.name).")
        }
        return card
    }

    /// An earlier charge on the invoice whose answer was lost on this channel is looked up
    /// first, so a retry under a new key finds it resolved instead of refused. Returns those the
    /// lookup found had taken money.
    private func lookUpUnresolvedPayments(on invoice: InvoiceSnapshot, channel: any PaymentChannel) async -> [PaymentRecord] {
        let unresolved = (try? ledger.standing(invoiceID: invoice.id).unresolved) ?? []
        var taken: [PaymentRecord] = []
        for doubtful in unresolved where doubtful.channel == channel.name && (doubtful.state == .sent || doubtful.state == .unknown) {
            // One another run is sending right now is not in doubt yet: asking the terminal
            // while it waits for that card would only collide with it.
            if doubtful.state == .sent, (try? isBeingSent(doubtful)) == true { continue }
            if let resolved = try? await recovery.resolve(doubtful, on: channel), resolved.capturedMinor > 0 { taken.append(resolved) }
        }
        return taken
    }

    /// Carries on a payment recorded under a key, whatever the operation: an intent not yet
    /// sent is sent by `sendIntent`, one in doubt is looked up, a finished one is returned as is.
    func carryOn(_ payment: PaymentRecord, on channel: any PaymentChannel, sendIntent: () async throws -> PaymentRecord)
        async throws -> PaymentRecord
    {
        switch payment.state {
        case .intended: return try await sendIntent()
        case .sent, .unknown:
            if payment.state == .sent, try isBeingSent(payment) { return try await awaitAnswer(to: payment, on: channel) }
            return try await recovery.resolve(payment, on: channel)
        default: return payment
        }
    }

    /// Steps 2 (again), 5, 6 and 7: confirm on a fresh read, send under a new reference, record
    /// the answer with its Jobber note in one transaction.
    private func send(
        _ payment: PaymentRecord, approved invoice: InvoiceSnapshot, charge: ProposedCharge, savedCardID: Int64? = nil,
        on channel: any PaymentChannel, operator actor: String
    ) async throws -> PaymentRecord {
        let token: String?
        do {
            token = try savedCardID.map { try savedCard($0, for: invoice, on: channel, operation: payment.operation).token }
            _ = try await check.confirm(charge, approved: invoice)
        } catch {
            // Nothing was sent: the intent is dropped with the reason, so the invoice is free again.
            try ledger.abandon(paymentID: payment.id, reason: "\(error)", actor: actor)
            throw error
        }
        return try await execute(payment, amount: charge.amount, token: token, on: channel, operator: actor)
    }

    /// Steps 5 to 7 for any operation: a new reference, the attempt recorded before the first
    /// byte, the answer recorded with its follow-up work. A request that provably never arrived
    /// abandons the payment (nothing moved) and is passed on.
    func execute(
        _ payment: PaymentRecord, amount: Money, original: OriginalCharge? = nil, token: String? = nil, on channel: any PaymentChannel,
        operator actor: String
    ) async throws -> PaymentRecord {
        let paymentID = payment.id
        var generator = SystemRandomNumberGenerator()
        let reference = PaymentReference.random(using: &generator)
        let attempt: AttemptRecord
        stepObserver?(.intentRecorded)
        do {
            attempt = try ledger.startAttempt(
                paymentID: paymentID, reference: reference, actor: actor, endpoint: channel.endpoint, owner: ProcessIdentity.current)
        } catch let error as LedgerError {
            // Another run with the same key sent it first (its attempt is open, or already
            // answered): its answer is this caller's answer. Nothing is sent twice.
            guard let current = try ledger.payment(id: paymentID), current.state != .intended else { throw error }
            return try await awaitAnswer(to: current, on: channel)
        }
        stepObserver?(.attemptStarted)
        let report = progressReport(for: payment, on: channel)
        report?(.sent, nil, nil)
        logger.info(
            "payment sent", metadata: ["payment": "\(paymentID)", "reference": "\(reference)", "channel": "\(channel.name)"])
        let request = ChannelRequest(
            operation: payment.operation, amount: amount, reference: reference, invoiceNumber: payment.invoiceNumber,
            original: original, token: token)
        let answer: ChannelAnswer
        do {
            answer = try await ChannelProgress.$onAccepted.withValue(Self.accepted(report)) { () async throws(PaymentChannelError) in
                try await channel.collect(request)
            }
        } catch let error as PaymentChannelError {
            try ledger.finishAttempt(attempt.id, with: .notFound, actor: actor)
            try ledger.abandon(paymentID: paymentID, reason: error.description, actor: actor)
            report?(.failed, nil, error.description)
            throw error
        }
        stepObserver?(.answered)
        let recorded = try AnswerRecording(ledger: ledger, receipts: receiptMode, declines: declineMode).record(
            answer, attempt: attempt.id, reference: reference, of: payment, channel: channel, actor: actor, noteBy: actor)
        stepObserver?(.answerRecorded)
        report?(.answered, recorded.state, recorded.message)
        logger.info("payment answered", metadata: ["payment": "\(paymentID)", "state": "\(recorded.state.rawValue)"])
        return recorded
    }

    private static func accepted(_ report: (@Sendable (PaymentProgress.Stage, PaymentState?, String?) -> Void)?) -> ChannelProgress
        .Listener?
    {
        guard let report else { return nil }
        return ChannelProgress.Listener { report(.waitingForCard, nil, nil) }
    }

    /// Publishes `payment`'s progress to ``progress``, if anyone listens.
    private func progressReport(for payment: PaymentRecord, on channel: any PaymentChannel)
        -> (@Sendable (PaymentProgress.Stage, PaymentState?, String?) -> Void)?
    {
        guard let progress else { return nil }
        let (key, id, name) = (payment.idempotencyKey, payment.id, channel.name)
        return { stage, state, message in
            progress(PaymentProgress(idempotencyKey: key, paymentID: id, channel: name, stage: stage, state: state, message: message))
        }
    }
}

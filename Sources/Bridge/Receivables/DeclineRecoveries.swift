import Foundation
import Jobber
import Ledger
import Logging
import PosPlusCore
import Receivables

/// Failed-payment recovery, carried out (issue 13, part 2): the ``RecoverySequence`` of each
/// declined invoice, kept in the ledger and moved on by outbox jobs.
///
/// - A decline (at a terminal, of a saved card, a returned bank debit) queues `declines.start`
///   in the transaction that records it, so no decline is missed even if the process dies.
/// - Each sequence's next wake-up is a `declines.tick` job due then; the outbox gives the lease,
///   the retries and the cross-process safety. Every event re-reads the invoice in Jobber
///   first: a paid invoice ends the sequence before anything else is done.
/// - The steps the sequence asks for are written with its new state in one transaction, before
///   any is carried out; each link or charge runs under its step's idempotency key, so a job
///   run twice finds what it made the first time. Retries go through the one payment path.
/// - `declines.mode`: `off` starts nothing (and pauses what runs); `suggest` holds every link
///   and every retry as an approval with its reason, for a person; `auto` carries them out.
///   Office tasks are for people in both modes.
public struct DeclineRecoveries<C: Clock<Duration>>: Sendable {
    public let ledger: Ledger
    public var mode: AutomationMode
    /// Retry days and window, in the business's time zone.
    public var rules: RetryRules
    let payments: PaymentService<C>
    let links: @Sendable () throws -> PaymentLinkService<C>
    let invoices: @Sendable () throws -> JobberInvoices<C>
    let channelForCard: @Sendable (Int64) throws -> any PaymentChannel
    let logger: Logger

    public init(
        ledger: Ledger, mode: AutomationMode, rules: RetryRules, payments: PaymentService<C>,
        links: @escaping @Sendable () throws -> PaymentLinkService<C>, invoices: @escaping @Sendable () throws -> JobberInvoices<C>,
        channelForCard: @escaping @Sendable (Int64) throws -> any PaymentChannel, logger: Logger
    ) {
        self.ledger = ledger
        self.mode = mode
        self.rules = rules
        self.payments = payments
        self.links = links
        self.invoices = invoices
        self.channelForCard = channelForCard
        self.logger = logger
    }

    /// The outbox handlers for the two job kinds.
    public func handlers() -> [String: OutboxWorker.Handler] {
        [
            DeclineJobs.startKind: { job in _ = try await self.start(paymentID: try DeclineJobs.id(in: job)) },
            DeclineJobs.tickKind: { job in try await self.tick(recoveryID: try DeclineJobs.id(in: job)) },
        ]
    }

    /// Starts the recovery of declined `paymentID`: classifies the decline, asks the sequence
    /// for its first steps and records them, then carries out those that are due. Returns the
    /// recovery (nil when none starts: mode off, not a decline, or the invoice is paid).
    @discardableResult
    public func start(paymentID: Int64) async throws -> DeclineRecoveryRecord? {
        guard mode != .off else {
            logger.info("decline not followed up: declines.mode is off", metadata: ["payment": "\(paymentID)"])
            return nil
        }
        guard let payment = try ledger.payment(id: paymentID), let invoiceID = payment.invoiceID,
            let evidence = DeclineEvidence(payment: payment, attempts: try ledger.attempts(paymentID: paymentID))
        else { return nil }
        let classification = DeclineClassifier.classify(evidence)
        let card = try savedCard(for: payment, evidence: evidence)
        let invoice = try await invoices().invoice(id: invoiceID)
        var machine = RecoverySequence(policy: RetryPolicy(rules: rules))
        // Declined on a link's page: the customer holds that link already.
        let declined: RecoverySequence.Event =
            LinkDeclineKey.linkID(of: payment) != nil
            ? .declinedOnPaymentPage(classification, at: ledger.now())
            : .declined(classification, onSavedCard: card != nil, at: ledger.now())
        var actions = machine.handle(declined)
        if let ending = try ending(of: invoice, declined: payment) { actions += machine.handle(ending) }
        let new = NewDeclineRecovery(
            paymentID: paymentID, invoiceID: invoiceID, invoiceNumber: payment.invoiceNumber, clientID: payment.clientID,
            savedCardID: card?.id, explanation: classification.explanation)
        let contacts = try await linkContacts(for: actions, invoiceID: invoiceID)
        let started = try ledger.startDeclineRecovery(
            new, machineJSON: try Self.encode(machine.state), nextWakeAt: machine.nextWakeUp, finishReason: Self.finishReason(actions),
            steps: try steps(for: actions, invoice: invoice, payment: payment, contacts: contacts))
        guard case .started(let recovery) = started else {
            if case .alreadyRunning(let running) = started {
                logger.info(
                    "decline joins the recovery already running", metadata: ["payment": "\(paymentID)", "recovery": "\(running.id)"])
            }
            return nil
        }
        logger.notice("decline recovery started", metadata: ["recovery": "\(recovery.id)", "mode": "\(mode.rawValue)"])
        return try await carryOn(recovery.id)
    }

    /// Moves recovery `id` on: the invoice read again (paid or written off ends it), denied
    /// proposals taken back, due steps asked for and carried out, the next wake-up queued.
    public func tick(recoveryID id: Int64) async throws {
        guard let recovery = try ledger.declineRecovery(id: id) else { return }
        guard recovery.state == .active else {
            // Ended (paid, or stopped by a person): no link it sent may still take money.
            try await cancelOpenLinks(of: id)
            return
        }
        // A card dispute ends it in every mode, even off: nothing it sent may stay payable.
        if let dispute = try ledger.standing(invoiceID: recovery.invoiceID).disputeReason {
            try endDisputed(recovery, because: dispute)
            try await cancelOpenLinks(of: id)
            return
        }
        guard mode != .off else {
            throw OutboxJobWaiting(
                reason: "declines.mode is off: decline recovery \(id) waits until it is suggest or auto.", recheckAfter: 3600)
        }
        let invoice = try await invoices().invoice(id: recovery.invoiceID)
        var events: [RecoverySequence.Event] = []
        if let declined = try ledger.payment(id: recovery.paymentID), let ending = try ending(of: invoice, declined: declined) {
            events.append(ending)
        }
        events += try withdrawDeniedRetries(of: recovery)
        events.append(.tick(ledger.now()))
        try await advance(recovery, with: events, invoice: invoice)
        _ = try await carryOn(id)
    }

    /// Ends `recovery` because a payment on its invoice is disputed: the bank is taking money
    /// back, so chasing the client now (a retry, a link, a call) is for a person to decide.
    private func endDisputed(_ recovery: DeclineRecoveryRecord, because dispute: String) throws {
        var machine = RecoverySequence(policy: RetryPolicy(rules: rules), state: try Self.decode(recovery.machineJSON))
        _ = machine.handle(.invoiceDisputed(at: ledger.now()))
        try ledger.advanceDeclineRecovery(
            id: recovery.id, expected: recovery.machineJSON, machineJSON: try Self.encode(machine.state), nextWakeAt: nil,
            finishReason: "Stopped: \(dispute). Nothing more is sent or charged; a person answers the dispute.", steps: [])
    }

    /// Carries out the due steps of recovery `id` (feeding each retry's answer back to the
    /// sequence), then queues its next wake-up. Returns the recovery as it is then.
    func carryOn(_ id: Int64) async throws -> DeclineRecoveryRecord? {
        while let step = try ledger.declineSteps(recoveryID: id).first(where: { $0.state == .due }) {
            // Nobody is charged or messaged at night: a step due then (the first text after a
            // decline at 22:00, a step a manager approved late) waits for the window to open.
            let now = ledger.now()
            guard rules.isDaytime(now) else {
                let opens = rules.nextDaytime(atOrAfter: now)
                try ledger.enqueue(DeclineJobs.tick(recoveryID: id, at: opens))
                logger.info("decline step waits for the day", metadata: ["recovery": "\(id)", "until": "\(opens)"])
                break
            }
            guard let event = try await carryOut(step) else { continue }
            guard let recovery = try ledger.declineRecovery(id: id), recovery.state == .active else { break }
            let invoice = try await invoices().invoice(id: recovery.invoiceID)
            try await advance(recovery, with: [event], invoice: invoice)
        }
        let recovery = try ledger.declineRecovery(id: id)
        if let recovery, recovery.state == .active, let wake = recovery.nextWakeAt {
            try ledger.enqueue(DeclineJobs.tick(recoveryID: id, at: wake), paymentID: recovery.paymentID)
        }
        if recovery?.state == .finished { try await cancelOpenLinks(of: id) }
        return recovery
    }

    /// Cancels the links recovery `id` sent that are still open (all but `keeping`) and, for a
    /// decline on a link's page, that link: once what was declined is paid, or a newer link
    /// replaces them, an old link must not take money again.
    func cancelOpenLinks(of id: Int64, keeping: Int64? = nil) async throws {
        var linkIDs = try ledger.declineSteps(recoveryID: id).compactMap(\.linkID)
        if let recovery = try ledger.declineRecovery(id: id), let declined = try ledger.payment(id: recovery.paymentID),
            let page = LinkDeclineKey.linkID(of: declined)
        {
            linkIDs.append(page)
        }
        for linkID in linkIDs {
            guard linkID != keeping, try ledger.link(id: linkID)?.state == .open else { continue }
            _ = try await links().cancel(linkID: linkID, operator: Ledger.declinesActor)
        }
    }

    /// Feeds `events` to the stored sequence and records its new state with the steps it asks for.
    func advance(_ recovery: DeclineRecoveryRecord, with events: [RecoverySequence.Event], invoice: InvoiceSnapshot) async throws {
        var machine = RecoverySequence(policy: RetryPolicy(rules: rules), state: try Self.decode(recovery.machineJSON))
        let actions = events.flatMap { machine.handle($0) }
        guard let payment = try ledger.payment(id: recovery.paymentID) else { throw LedgerError.paymentNotFound("\(recovery.paymentID)") }
        let newState = try Self.encode(machine.state)
        guard newState != recovery.machineJSON || !actions.isEmpty else { return }
        let contacts = try await linkContacts(for: actions, invoiceID: recovery.invoiceID)
        try ledger.advanceDeclineRecovery(
            id: recovery.id, expected: recovery.machineJSON, machineJSON: newState, nextWakeAt: machine.nextWakeUp,
            finishReason: Self.finishReason(actions), steps: try steps(for: actions, invoice: invoice, payment: payment, contacts: contacts)
        )
    }

    /// The sequence's actions as steps: links and retries proposed (suggest) or due (auto),
    /// office tasks open; `.finish` is the recovery's own end, not a step. A link says how it
    /// will really go to the client in `contacts` (``linkStep(_:reason:contacts:)``).
    private func steps(
        for actions: [RecoverySequence.Action], invoice: InvoiceSnapshot, payment: PaymentRecord, contacts: CustomerContacts?
    ) throws -> [NewDeclineStep] {
        let owed = try ledger.standing(invoiceID: invoice.id).room(in: invoice.balance)
        let actionState: DeclineStepRecord.State = mode == .auto ? .due : .proposed
        let number = "invoice #\(invoice.number)"
        return actions.compactMap { action in
            switch action {
            case .sendLink(let channel, let reason):
                let link = Self.linkStep(channel, reason: reason, contacts: contacts)
                let to = invoice.clientName + (link.address.map { " (\($0))" } ?? "")
                return NewDeclineStep(
                    action: link.action, reason: link.reason, state: actionState,
                    summary: "\(link.action.words) for \(askAmount(of: payment, owed: owed).formatted) on \(number) to \(to)",
                    amount: askAmount(of: payment, owed: owed))
            case .chargeSavedCard(let attempt, let reason):
                let amount = askAmount(of: payment, owed: owed)
                return NewDeclineStep(
                    action: .retryCard, tryNumber: attempt, reason: reason, state: actionState,
                    summary: "charge \(invoice.clientName)'s saved card \(amount.formatted) again on \(number) (try \(attempt))",
                    amount: amount)
            case .createOfficeTask(let reason):
                return NewDeclineStep(
                    action: .officeTask, reason: reason, state: .open, summary: "call \(invoice.clientName) about \(number)",
                    amount: owed)
            case .finish:
                return nil
            }
        }
    }

    /// What a link or a retry asks for: again what was declined — a part payment, a deposit, a
    /// plan's instalment — but never more than is still owed; for a full-balance charge, all
    /// that is owed now.
    func askAmount(of payment: PaymentRecord, owed: Money) -> Money {
        guard payment.intent != .fullBalance, payment.requested.minorUnits < owed.minorUnits else { return owed }
        return payment.requested
    }

    /// The saved card the declined payment charged, if it is still on file and the decline was
    /// of a saved card: what a retry charges, and no other of the client's cards.
    private func savedCard(for payment: PaymentRecord, evidence: DeclineEvidence) throws -> CardOnFileRecord? {
        guard evidence.isRetryable, let id = payment.savedCardID, let card = try ledger.card(id: id) else { return nil }
        return card.removedAt == nil && card.kind == .card ? card : nil
    }

    /// Proposed steps a person denied are skipped; a retry the sequence still waits for that was
    /// skipped (denied now or before a crash) tells it no retry comes.
    private func withdrawDeniedRetries(of recovery: DeclineRecoveryRecord) throws -> [RecoverySequence.Event] {
        let steps = try ledger.declineSteps(recoveryID: recovery.id)
        for step in steps where step.state == .proposed {
            guard let approvalID = step.approvalID, let approval = try ledger.approval(id: approvalID), approval.state == .denied
            else { continue }
            let who = approval.decidedBy ?? "a manager"
            try ledger.updateDeclineStep(
                id: step.id, state: .skipped, outcome: "Denied by \(who)" + (approval.note.map { ": \($0)" } ?? "."), by: who)
        }
        guard case .active(let progress) = try Self.decode(recovery.machineJSON), progress.retryInFlight,
            let retry = try ledger.declineSteps(recoveryID: recovery.id).last(where: { $0.action == .retryCard }), retry.state == .skipped
        else { return [] }
        return [.retryWithdrawn(reason: "\(retry.decidedBy ?? "A person") chose not to charge the saved card again.", at: ledger.now())]
    }

    /// A paid invoice ends the sequence — paid in Jobber, or by money posplus took that Jobber
    /// does not show yet (a link paid a minute ago); one written off as bad debt, or with a card
    /// dispute open on one of its payments, is for a person.
    /// A part payment declined (or a deposit, an instalment) is recovered once payments made
    /// on the invoice after it add up to it.
    func ending(of invoice: InvoiceSnapshot, declined: PaymentRecord) throws -> RecoverySequence.Event? {
        let standing = try ledger.standing(invoiceID: invoice.id)
        let owed = standing.room(in: invoice.balance)
        if invoice.status == .paid || !owed.isPositive { return .invoicePaid(at: ledger.now()) }
        // A plan's later instalment pays its own part, not the one declined.
        let paidSince = standing.standing.filter { $0.id > declined.id && !$0.idempotencyKey.hasPrefix("plan-") }
            .reduce(Int64(0)) { $0 + $1.capturedMinor - $1.refundedMinor }
        if declined.intent != .fullBalance, paidSince >= declined.requestedMinor { return .declinedAmountPaid(at: ledger.now()) }
        if invoice.status == .badDebt || standing.disputeReason != nil { return .invoiceDisputed(at: ledger.now()) }
        return nil
    }

    static func finishReason(_ actions: [RecoverySequence.Action]) -> String? {
        for case .finish(let reason) in actions { return reason }
        return nil
    }

    static func encode(_ state: RecoverySequence.State) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return String(decoding: try encoder.encode(state), as: UTF8.self)
    }

    static func decode(_ json: String) throws -> RecoverySequence.State {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(RecoverySequence.State.self, from: Data(json.utf8))
    }
}

/// What both decline jobs carry: the payment (start) or the recovery (tick).
private struct DeclineJobPayload: Decodable { var id: Int64 }

/// The outbox jobs that move recoveries on, queued where a decline or a payment is recorded.
enum DeclineJobs {
    static let startKind = "declines.start"
    static let tickKind = "declines.tick"

    /// The job that starts a recovery for declined `payment`, ridden along with its answer; nil
    /// for a payment no recovery follows (not on an invoice, or itself a recovery's retry).
    static func start(for payment: PaymentRecord) -> NewOutboxJob? {
        guard payment.invoiceID != nil, !payment.idempotencyKey.hasPrefix("declines-") else { return nil }
        return NewOutboxJob(kind: startKind, dedupeKey: "\(startKind).\(payment.id)", payload: #"{"id":\#(payment.id)}"#)
    }

    /// The job that moves recovery `id` on at `at` (now when nil).
    static func tick(recoveryID id: Int64, at: Date?) -> NewOutboxJob {
        let when = at.map { String(Int64($0.timeIntervalSince1970)) } ?? "now-\(UUID().uuidString)"
        return NewOutboxJob(kind: tickKind, dedupeKey: "\(tickKind).\(id).\(when)", payload: #"{"id":\#(id)}"#, runAt: at)
    }

    /// For an approved payment on an invoice whose recovery runs: a tick now, so the sequence
    /// sees the invoice paid at once instead of at its next wake-up.
    static func paid(_ payment: PaymentRecord, in ledger: Ledger) throws -> [NewOutboxJob] {
        guard let invoiceID = payment.invoiceID, let recovery = try ledger.activeDeclineRecovery(invoiceID: invoiceID) else { return [] }
        return [tick(recoveryID: recovery.id, at: nil)]
    }

    static func id(in job: OutboxJobRecord) throws -> Int64 {
        try JSONDecoder().decode(DeclineJobPayload.self, from: Data(job.payload.utf8)).id
    }
}

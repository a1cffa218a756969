import Foundation
import Gateway
import Jobber
import Ledger
import Logging
import PosPlusCore
import Reconcile

/// `posplus reconcile`: reads the four sides of a window, classifies every difference, stores
/// the ones to review (found again: the same item; gone: cleared), and with `apply` performs
/// only the safe actions — adopt a paid link the ledger lacks (through the payment path), queue
/// a missing Jobber write-back, deactivate a link on an invoice paid elsewhere. It never
/// charges, refunds or voids.
public struct ReconcileService<C: Clock<Duration>>: Sendable {
    var sources: ReconcileSources<C>
    let rules: ReconcileRules
    let linkCanceller: (@Sendable (Int64, String) async throws -> Void)?
    let logger: Logger
    /// `receipts.mode` for the money `--apply` records: an adopted link payment, a bank debit it
    /// settles. Each gets its receipt as it would have from the webhook that never came.
    public var receiptMode = AutomationMode.off

    var ledger: Ledger { sources.ledger }

    /// Told as the run reads each side (and each Jobber invoice): a CLI on a terminal draws a
    /// progress bar from it.
    public var progress: (@Sendable (ReconcileProgress) -> Void)? {
        get { sources.progress }
        set { sources.progress = newValue }
    }

    /// - Parameters:
    ///   - channelThatTook: the channel a payment was taken on: its terminal is asked what it
    ///     recorded, and it names the way of paying in a Jobber note queued here.
    ///   - terminals: the configured terminals, each one's open batch listed in full.
    ///   - linkCanceller: deactivates a link at the processor and closes it in the ledger.
    public init(
        ledger: Ledger, gateway: (any PaymentGateway)?, jobber: JobberInvoices<C>?,
        channelThatTook: @escaping @Sendable (PaymentRecord) throws -> any PaymentChannel, processorChannels: Set<String>,
        terminals: @escaping @Sendable () -> [TerminalChannel] = { [] },
        linkCanceller: (@Sendable (Int64, String) async throws -> Void)?, rules: ReconcileRules = ReconcileRules(), logger: Logger
    ) {
        sources = ReconcileSources(
            ledger: ledger, gateway: gateway, jobber: jobber, channelThatTook: channelThatTook, processorChannels: processorChannels,
            configuredTerminals: terminals)
        self.rules = rules
        self.linkCanceller = linkCanceller
        self.logger = logger
    }

    /// One run over `[since, until)`; `since` nil continues from the stored watermark (or the
    /// last 30 days the first time).
    /// `terminal` limits the terminals read to the one named.
    public func run(since: Date?, until: Date, apply: Bool, terminal: String? = nil, actor: String) async throws -> ReconcileReport {
        let start = try since ?? continuingFrom(until: until)
        var failed: Set<String> = []
        let (sides, facts, gaps) = try await sources.read(
            since: start, until: until, terminal: terminal, writeBackKind: JobberWriteBackJob.kind, failed: &failed)
        let items = Reconciler(rules: rules).reconcile(sides, now: until)
        let toStore = items.filter { $0.kind != .matched }
        let outcome = try ledger.recordReconcileRun(toStore.map(Self.difference), since: start, until: until, actor: actor)
        var applied: [String] = []
        if apply {
            for item in items {
                guard let action = item.action else { continue }
                // A stored difference is acted on while it is open; a match only records what it found.
                if item.kind != .matched, try ledger.reconcileItem(key: item.key)?.status != .open { continue }
                do {
                    try await perform(action, item: item, facts: facts, sides: sides, actor: actor)
                    if item.kind != .matched { try ledger.markReconcileItemFixed(key: item.key, action: action.summary, by: actor) }
                    applied.append("\(item.key): \(action.summary)")
                } catch {
                    logger.warning(
                        "reconcile could not apply an action; the item stays open", metadata: ["item": "\(item.key)", "error": "\(error)"])
                }
            }
        }
        if since == nil {
            for side in ReconcileSources<C>.sideNames where !failed.contains(side) {
                try ledger.setReconcileWatermark(side: side, to: until)
            }
        }
        let report = ReconcileReport(
            since: start, until: until, items: items, stored: outcome, applied: applied, notes: gaps,
            totals: ReconcileTotals.perDay(sides, timeZone: rules.timeZone),
            payouts: PayoutTotals.perPayout(sides, timeZone: rules.timeZone),
            timeZone: rules.timeZone.identifier)
        do {
            try ledger.keepReconcileReport(
                try report.json(pretty: false), applied: applied.count, toReview: report.toReview.count, actor: actor)
        } catch {
            // The run's findings are stored as items already; losing the kept copy loses nothing.
            logger.warning("reconcile report not kept", metadata: ["error": "\(error)"])
        }
        return report
    }

    /// Where a continuing run starts: the oldest side's watermark (a side that could not be
    /// read last time holds the window back until it is), less the look-back for late answers;
    /// the last 30 days the first time.
    private func continuingFrom(until: Date) throws -> Date {
        let marks = try ReconcileSources<C>.sideNames.map { try ledger.reconcileWatermark(side: $0) }
        guard let oldest = marks.compactMap({ $0 }).min(), !marks.contains(nil) else { return until.addingTimeInterval(-30 * 86_400) }
        return oldest.addingTimeInterval(-rules.lookBack.timeInterval)
    }

    private func perform(
        _ action: ReconcileAction, item: ReconcileItem, facts: [ReconcilePaymentFacts], sides: ReconcileSides, actor: String
    )
        async throws
    {
        switch action {
        case .adopt(let processorPaymentID):
            guard let payment = sides.processor.first(where: { $0.id == processorPaymentID }), let reference = payment.reference,
                let link = try ledger.link(reference: reference)
            else { throw ReconcileApplyError("processor payment \(processorPaymentID) is not one of our links: adopt it by hand") }
            _ = try LinkPaymentRecording(ledger: ledger, receipts: receiptMode).record(
                link: link, intent: processorPaymentID, amount: payment.captured, paid: true, settled: false, actor: actor)
        case .queueWriteBack(let paymentID):
            guard let fact = facts.first(where: { $0.payment.id == paymentID }), let reference = fact.reference else {
                throw ReconcileApplyError("payment \(paymentID) has no reference to write back under")
            }
            if let job = fact.writeBackJobID {
                // The job looks for its marker first, so running it again writes the note once.
                try ledger.rearmJob(job, actor: actor)
            } else {
                let method = try sources.channelThatTook(fact.payment).noteMethod(for: fact.payment.operation)
                let jobs = PaymentWriteBack.settlementJobs(
                    for: fact.payment, reference: reference, method: method, operator: actor, at: ledger.now())
                for job in jobs { try ledger.enqueue(job, paymentID: paymentID) }
            }
        case .deactivateLink(let linkID):
            guard let linkCanceller else { throw ReconcileApplyError("no processor configured to deactivate link \(linkID)") }
            try await linkCanceller(linkID, actor)
        case .recognizeJobberRecord(let paymentID, let recordID):
            try ledger.recognizeJobberRecord(paymentID: paymentID, recordID: recordID, actor: actor)
        case .deactivateProcessorLink(let id):
            guard let gateway = sources.gateway else { throw ReconcileApplyError("no processor configured to deactivate link \(id)") }
            try await gateway.deactivateLink(id, idempotencyKey: "reconcile-deactivate-\(id)")
            try ledger.recordAuditEvent(kind: "link.deactivateStray", actor: actor, detail: ["link": .text(id)])
        case .recordReversals(let paymentID):
            try recordReversals(of: paymentID, facts: facts, sides: sides, actor: actor)
        case .settleBankDebit(let paymentID):
            guard let fact = facts.first(where: { $0.payment.id == paymentID }), fact.payment.state == .pending else { return }
            _ = try ReportedPayments(ledger: ledger, receiptMode: receiptMode).settle(
                fact.payment, reference: fact.reference ?? fact.payment.idempotencyKey, on: try sources.channelThatTook(fact.payment),
                actor: actor, paidBy: fact.payment.operator)
        }
    }

    /// Records each refund the processor lists for the payment that the ledger has no reversal
    /// for (joined by the processor's refund id), on the payment path: the refund ceiling falls
    /// and a Jobber note is queued, once — the refund id is the idempotency key.
    private func recordReversals(of paymentID: Int64, facts: [ReconcilePaymentFacts], sides: ReconcileSides, actor: String) throws {
        guard let fact = facts.first(where: { $0.payment.id == paymentID }) else {
            throw ReconcileApplyError("payment \(paymentID) is not in this window")
        }
        let original = fact.payment
        guard let processor = sides.processor.first(where: { $0.reference == fact.reference || $0.id == original.processorReference })
        else { throw ReconcileApplyError("the processor's payment for \(paymentID) was not read") }
        let known = try ledger.reversals(of: paymentID)
        guard !known.contains(where: { [.intended, .sent, .unknown].contains($0.state) }) else {
            throw ReconcileApplyError(
                "a void or refund of payment \(paymentID) through posplus is still in doubt: recovery settles it first")
        }
        let recorded = Set(known.compactMap(\.processorReference))
        let channel = try sources.channelThatTook(original)
        for refund in processor.reversals where refund.kind == .refund && refund.moved && !recorded.contains(refund.id) {
            let request = PaymentRequest(
                operation: .refund, amount: refund.amount, intent: .fullBalance, invoiceID: original.invoiceID,
                invoiceNumber: original.invoiceNumber, quoteID: original.quoteID, clientID: original.clientID,
                originalPaymentID: paymentID, channel: original.channel)
            let details = AttemptDetails(
                captured: refund.amount, message: "refunded at the processor outside posplus (\(refund.id)); recorded by reconcile",
                processorReference: refund.id)
            _ = try ReportedPayments(ledger: ledger).record(
                ReportedPayments.Report(
                    request: request, idempotencyKey: try IdempotencyKey("reconcile-\(refund.id)"),
                    reference: Self.reference(forProcessorID: refund.id), answer: ChannelAnswer(.approved(details)), actor: actor,
                    paidBy: actor),
                on: channel)
        }
    }

    /// A stable attempt reference for money posplus did not send: "X" and 15 hex digits of the
    /// processor id's SHA-256, so recording it again finds the same attempt.
    static func reference(forProcessorID id: String) -> PaymentReference {
        try! PaymentReference("X" + CanonicalHash.sha256Hex([id]).prefix(15).uppercased())  // hex digits, within the length
    }

    static func difference(_ item: ReconcileItem) -> FoundDifference {
        let detail = (try? ReconcileJSON.encode(item)) ?? "{}"
        return FoundDifference(
            key: item.key, kind: item.kind.rawValue, reference: item.reference, invoiceID: item.invoiceID, explanation: item.explanation,
            occurredAt: item.records.compactMap(\.date).min(), detail: detail, differenceMinor: item.difference?.minorUnits,
            currency: item.difference?.currency,
            action: item.action?.summary)
    }
}

/// Why `--apply` left an item open.
struct ReconcileApplyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

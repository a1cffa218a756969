import Foundation
import PosPlusCore

/// The deadlines and windows the matcher applies; a business sets them in `[reconcile]`.
public struct ReconcileRules: Sendable, Equatable {
    /// How far apart a payment and a record the office entered by hand in Jobber may be dated
    /// and still be taken for the same money (with a single candidate only).
    public var handEntryWindow: Duration = .seconds(3 * 86_400)
    /// How long a queued write-back may still be on its way before it counts as missing.
    public var writeBackGrace: Duration = .seconds(3_600)
    /// How long a bank debit may clear before its silence is worth a look.
    public var clearingWindow: Duration = .seconds(5 * 86_400)
    /// How far before the last run's end a continuing run starts again, so late answers and
    /// webhooks are compared in the window they belong to.
    public var lookBack: Duration = .seconds(2 * 86_400)
    /// The business's time zone: which calendar day a payment counts on in the totals.
    public var timeZone = TimeZone(identifier: "UTC")!

    public init() {}
}

/// Joins the four sides and classifies every difference (reconcile.md §2). Pure: the same
/// sides and the same `now` give the same items, which is what makes a second run change nothing.
///
/// Joins go by our own reference first (every side keeps it), then by the processor's id,
/// then — for a Jobber record the office typed in — by invoice + amount + date window with a
/// single candidate. Never by amount alone.
public struct Reconciler: Sendable {
    public var rules: ReconcileRules

    public init(rules: ReconcileRules = ReconcileRules()) {
        self.rules = rules
    }

    public func reconcile(_ sides: ReconcileSides, now: Date) -> [ReconcileItem] {
        var state = MatchState(sides: sides)
        var items: [ReconcileItem] = []
        for payment in sides.ledger.sorted(by: { $0.id < $1.id }) {
            guard payment.standing != .inDoubt else {
                // Recovery asks the terminal or processor about it; reconcile must not adopt
                // its money beside recovery, so its records are set aside unreported.
                state.claimProcessor(state.processorPayments(for: payment).map(\.id))
                state.claimedTerminal.insert(payment.reference)
                continue
            }
            items += match(payment, in: &state, now: now)
        }
        items += unclaimedProcessorPayments(state)
        items += unclaimedTerminalRecords(state)
        items += paidElsewhere(sides)
        items += payoutDifferences(sides)
        items += batchDifferences(sides)
        items += strayLinks(sides)
        return items
    }

    // MARK: one ledger payment against the other sides

    private func match(_ payment: LedgerPayment, in state: inout MatchState, now: Date) -> [ReconcileItem] {
        var records = [
            SideRecord(
                side: .ledger, id: "payment \(payment.id)", amount: payment.captured, date: payment.date, detail: payment.standing.rawValue)
        ]
        var found: [ReconcileItem] = []
        switch payment.channel {
        case .processor:
            found += checkProcessor(payment, state: &state, records: &records)
        case .terminal(let name):
            found += checkTerminal(payment, terminal: name, state: &state, records: &records)
        }
        if payment.standing == .clearing {
            return found.isEmpty ? [clearing(payment, records, state: state, now: now)] : found
        }
        guard payment.standing == .taken, payment.captured.isPositive else { return found }
        found += checkJobber(payment, state: &state, records: &records, now: now)
        if found.isEmpty { found.append(item(.matched, payment, records, "matched on reference \(payment.reference)")) }
        return found
    }

    /// A bank debit the ledger still shows clearing: settled once the processor reports it
    /// cleared, or — for a terminal's debit, whose host reports no more — once the clearing
    /// window passed with no return.
    private func clearing(_ payment: LedgerPayment, _ records: [SideRecord], state: MatchState, now: Date) -> ReconcileItem {
        let age = now.timeIntervalSince(payment.date)
        let window = "\(days(age)) of \(days(rules.clearingWindow.timeInterval))"
        var found: ReconcileItem
        switch payment.channel {
        case .processor where state.processorPayments(for: payment).contains(where: \.succeeded):
            found = item(.expected, payment, records, "the processor reports the bank debit cleared: settle it")
        case .processor:
            let late = age >= rules.clearingWindow.timeInterval
            return item(
                .expected, payment, records,
                "the processor still reports the bank debit processing (\(window))\(late ? ", later than usual" : "")")
        case .terminal where age < rules.clearingWindow.timeInterval:
            return item(.expected, payment, records, "a bank debit still clearing (\(window))")
        case .terminal:
            found = item(.expected, payment, records, "a bank debit past its clearing window (\(window)) with no return: settle it")
        }
        found.action = .settleBankDebit(paymentID: payment.id)
        return found
    }

    private func checkProcessor(
        _ payment: LedgerPayment, state: inout MatchState, records: inout [SideRecord]
    ) -> [ReconcileItem] {
        if payment.standing == .clearing {
            let all = state.processorPayments(for: payment)
            state.claimProcessor(all.map(\.id))
            records += all.map {
                SideRecord(
                    side: .processor, id: $0.id, amount: $0.captured, date: $0.date,
                    detail: $0.succeeded ? "succeeded" : $0.pending ? "processing" : "failed")
            }
            if all.isEmpty {
                return [item(.missingAtProcessor, payment, records, "the processor has no payment for \(payment.reference)")]
            }
            guard all.contains(where: { $0.succeeded || $0.pending }) else {
                return [
                    item(
                        .reversedOutside, payment, records,
                        "the processor reports the bank debit failed or returned; posplus shows it clearing",
                        payment.captured)
                ]
            }
            return []
        }
        let candidates = state.processorPayments(for: payment).filter(\.succeeded)
        state.claimProcessor(candidates.map(\.id))
        records += candidates.map { SideRecord(side: .processor, id: $0.id, amount: $0.captured, date: $0.date, detail: "succeeded") }
        guard payment.standing != .none else {
            guard let taken = candidates.first else { return [] }
            return [
                item(
                    .amountMismatch, payment, records, "posplus recorded no money but the processor took \(taken.captured)", taken.captured)
            ]
        }
        guard let processor = candidates.first else {
            return [item(.missingAtProcessor, payment, records, "the processor has no succeeded payment for \(payment.reference)")]
        }
        if candidates.count > 1 {
            return [item(.duplicate, payment, records, "\(candidates.count) processor payments carry reference \(payment.reference)")]
        }
        return compare(payment, taken: processor.captured, refunded: processor.refunded, records: records)
            + processor.reversals.filter { $0.kind == .dispute && $0.moved }.map { dispute in
                var found = item(
                    .reversedOutside, payment,
                    records + [
                        SideRecord(
                            side: .processor, id: dispute.id, amount: dispute.amount, date: dispute.date,
                            detail: "dispute \(dispute.status)")
                    ],
                    Self.disputeDetail(dispute),
                    dispute.amount)
                found.key = "\(ReconcileClass.reversedOutside.rawValue):\(dispute.id)"
                return found
            }
    }

    /// What the office does about a dispute depends on where it stands: one still open is
    /// answered; one decided needs only to be acknowledged.
    static func disputeDetail(_ dispute: ProcessorReversal) -> String {
        switch dispute.status {
        case "lost":
            "the cardholder's bank took back \(dispute.amount) (dispute lost): nothing to answer; resolve this item once the books show it"
        case "won", "warning_closed":
            "the cardholder's bank disputed \(dispute.amount) and it is closed (\(dispute.status)): resolve this item"
        default:
            "the cardholder's bank disputed \(dispute.amount) (\(dispute.status)): answer it at the processor, then resolve this item"
        }
    }

    private func checkTerminal(
        _ payment: LedgerPayment, terminal: String, state: inout MatchState, records: inout [SideRecord]
    ) -> [ReconcileItem] {
        guard let terminals = state.sides.terminals, state.sides.terminalsAsked?.contains(payment.reference) ?? true else { return [] }
        let record = terminals.first { $0.reference == payment.reference && $0.kind == .charge }
        if let record {
            state.claimedTerminal.insert(record.reference)
            records.append(
                SideRecord(
                    side: .terminal, id: "\(record.terminal) \(record.reference)", amount: record.amount, date: record.date,
                    detail: record.approved ? "approved" : "not approved"))
        }
        // Its voids and refunds are records of their own on the terminal, under their own references.
        let reversals = terminals.filter { payment.reversalReferences.contains($0.reference) && $0.kind != .charge }
        for reversal in reversals {
            state.claimedTerminal.insert(reversal.reference)
            records.append(
                SideRecord(
                    side: .terminal, id: "\(reversal.terminal) \(reversal.reference)", amount: reversal.amount, date: reversal.date,
                    detail: reversal.kind.rawValue))
        }
        let refunded = reversals.filter { $0.kind == .refund && $0.amount.currency == payment.refunded.currency }
            .reduce(Money.zero(payment.refunded.currency)) {
                Money(minorUnits: $0.minorUnits &+ $1.amount.minorUnits, currency: $0.currency)
            }
        let taken = record.flatMap { $0.approved && $0.amount.isPositive ? $0.amount : nil }
        switch (payment.standing, taken) {
        case (.none, let taken?):
            return [item(.amountMismatch, payment, records, "posplus recorded no money but \(terminal) approved \(taken)", taken)]
        case (.taken, nil), (.clearing, nil):
            return [item(.missingAtProcessor, payment, records, "\(terminal) reports no approved transaction for \(payment.reference)")]
        case (.taken, let taken?), (.clearing, let taken?):
            return compare(payment, taken: taken, refunded: refunded, records: records)
        default:
            return []
        }
    }

    /// Ledger against what the processor or terminal says was taken (and refunded).
    private func compare(_ payment: LedgerPayment, taken: Money, refunded: Money?, records: [SideRecord]) -> [ReconcileItem] {
        guard taken.currency == payment.captured.currency else {
            return [item(.currencyMismatch, payment, records, "ledger in \(payment.captured.currency), other side in \(taken.currency)")]
        }
        if taken.minorUnits != payment.captured.minorUnits {
            let difference = Money(minorUnits: taken.minorUnits &- payment.captured.minorUnits, currency: taken.currency)
            return [item(.amountMismatch, payment, records, "ledger took \(payment.captured), the other side \(taken)", difference)]
        }
        guard let refunded, refunded.currency == payment.refunded.currency else { return [] }
        let outside = refunded.minorUnits &- payment.refunded.minorUnits
        if outside > 0 {
            let amount = Money(minorUnits: outside, currency: refunded.currency)
            var found = item(.reversedOutside, payment, records, "\(amount) refunded at the processor, not through posplus", amount)
            found.action = .recordReversals(paymentID: payment.id)
            return [found]
        }
        if outside < 0 {
            let amount = Money(minorUnits: -outside, currency: refunded.currency)
            if payment.reversalReferences.count > 1 {
                // Several refunds of one payment: the pieces, not one amount, disagree.
                return [
                    item(
                        .splitMismatch, payment, records,
                        "posplus's \(payment.reversalReferences.count) refunds add up to \(payment.refunded); the other side's to \(refunded)",
                        amount)
                ]
            }
            return [item(.amountMismatch, payment, records, "posplus recorded \(amount) more refunded than the processor shows", amount)]
        }
        return []
    }

    private func checkJobber(
        _ payment: LedgerPayment, state: inout MatchState, records: inout [SideRecord], now: Date
    ) -> [ReconcileItem] {
        guard let invoiceID = payment.invoiceID, let invoice = state.sides.jobber.first(where: { $0.id == invoiceID }) else {
            return []
        }
        let ours = invoice.records.filter { $0.reference == payment.reference }
        let byHand = state.handEntries(on: invoice, for: payment, window: rules.handEntryWindow)
        let noted = invoice.noteReferences.contains(payment.reference) || !ours.isEmpty
        records += (ours + byHand).map {
            SideRecord(
                side: .jobber, id: $0.id, amount: $0.amount, date: $0.date, detail: $0.reference == nil ? "entered by hand" : "posplus")
        }
        if noted {
            records.append(SideRecord(side: .jobber, id: "invoice \(invoice.number ?? invoice.id)", amount: nil, date: nil, detail: "note"))
        }
        if !ours.isEmpty, byHand.count == 1 {
            state.claimedJobber.insert(byHand[0].id)
            return [
                item(.duplicate, payment, records, "Jobber counts it twice: posplus's record and one entered by hand", byHand[0].amount)
            ]
        }
        if let record = ours.first, payment.jobberRecordID != record.id {
            // posplus's own record counts the money in Jobber's balance: say so to the ledger.
            var found = item(
                .matched, payment, records, "matched on reference \(payment.reference); Jobber's record \(record.id) counts it")
            found.action = .recognizeJobberRecord(paymentID: payment.id, recordID: record.id)
            return [found]
        }
        if noted { return [] }
        if byHand.count == 1 {
            state.claimedJobber.insert(byHand[0].id)
            var found = item(.matched, payment, records, "recorded in Jobber by hand (record \(byHand[0].id)); the same money")
            if payment.jobberRecordID != byHand[0].id {
                found.action = .recognizeJobberRecord(paymentID: payment.id, recordID: byHand[0].id)
            }
            return [found]
        }
        let age = now.timeIntervalSince(payment.date)
        if payment.writeBackQueued, !payment.writeBackDone, age < rules.writeBackGrace.timeInterval {
            return [item(.expected, payment, records, "its Jobber write-back is queued")]
        }
        var found = item(.missingWriteBack, payment, records, "Jobber invoice \(invoice.number ?? invoiceID) has no note or record of it")
        found.action = .queueWriteBack(paymentID: payment.id)
        return [found]
    }

    // MARK: helpers

    private func item(
        _ kind: ReconcileClass, _ payment: LedgerPayment, _ records: [SideRecord], _ explanation: String, _ difference: Money? = nil
    ) -> ReconcileItem {
        var found = ReconcileItem(
            key: "\(kind.rawValue):\(payment.reference)", kind: kind, reference: payment.reference, invoiceID: payment.invoiceID,
            records: records, difference: difference, explanation: explanation)
        found.invoiceNumber = payment.invoiceNumber
        return found
    }

    private func days(_ seconds: TimeInterval) -> String { "\(Int(seconds / 86_400)) days" }
}

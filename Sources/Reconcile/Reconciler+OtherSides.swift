import Foundation
import PosPlusCore

/// The differences no ledger payment leads to: money only a processor or a terminal has, links
/// and payouts, and batch closes whose totals disagree.
extension Reconciler {
    func unclaimedProcessorPayments(_ state: MatchState) -> [ReconcileItem] {
        state.sides.processor.filter {
            $0.succeeded && $0.captured.isPositive && $0.reference != nil && !state.claimedProcessor.contains($0.id)
        }
        .map { payment in
            ReconcileItem(
                key: "\(ReconcileClass.missingInLedger.rawValue):\(payment.id)", kind: .missingInLedger, reference: payment.reference,
                invoiceID: payment.invoiceID,
                records: [SideRecord(side: .processor, id: payment.id, amount: payment.captured, date: payment.date, detail: "succeeded")],
                difference: payment.captured, explanation: "the processor took \(payment.captured) that posplus has no record of",
                action: .adopt(processorPaymentID: payment.id))
        }
    }

    /// Terminal records no ledger payment claimed: money taken there, or given back there,
    /// without posplus (a sale rung up on the keypad, a crash between approval and recording).
    func unclaimedTerminalRecords(_ state: MatchState) -> [ReconcileItem] {
        (state.sides.terminals ?? []).filter { $0.approved && $0.amount.isPositive && !state.claimedTerminal.contains($0.reference) }.map {
            record in
            let kind: ReconcileClass = record.kind == .charge ? .missingInLedger : .reversedOutside
            let explanation =
                switch record.kind {
                case .charge: "\(record.terminal) approved \(record.amount) that posplus has no record of: find its invoice, then record it"
                case .refund: "\(record.terminal) refunded \(record.amount) outside posplus: find the payment it gave back"
                case .void: "\(record.terminal) voided \(record.amount) outside posplus: find the payment it cancelled"
                }
            return ReconcileItem(
                key: "\(kind.rawValue):\(record.terminal):\(record.reference)", kind: kind, reference: record.reference, invoiceID: nil,
                records: [
                    SideRecord(
                        side: .terminal, id: "\(record.terminal) \(record.reference)", amount: record.amount, date: record.date,
                        detail: record.kind.rawValue)
                ],
                difference: record.amount, explanation: explanation)
        }
    }

    func paidElsewhere(_ sides: ReconcileSides) -> [ReconcileItem] {
        sides.openLinks.compactMap { link in
            guard let invoiceID = link.invoiceID, let invoice = sides.jobber.first(where: { $0.id == invoiceID }),
                invoice.balance.minorUnits <= 0
            else { return nil }
            return ReconcileItem(
                key: "\(ReconcileClass.paidElsewhere.rawValue):link-\(link.id)", kind: .paidElsewhere, reference: nil, invoiceID: invoiceID,
                records: [
                    SideRecord(side: .ledger, id: "link \(link.id)", amount: link.amount, date: nil, detail: "open"),
                    SideRecord(
                        side: .jobber, id: "invoice \(invoice.number ?? invoiceID)", amount: invoice.balance, date: nil, detail: "balance"),
                ],
                explanation: "invoice \(invoice.number ?? invoiceID) is paid, but link \(link.processorLinkID) can still take money",
                action: .deactivateLink(linkID: link.id))
        }
    }

    /// A payout breaks down exactly into the movements it pays out (reconcile.md §1): any
    /// difference is worth a look; one still on its way to the bank is expected.
    func payoutDifferences(_ sides: ReconcileSides) -> [ReconcileItem] {
        sides.payouts.compactMap { payout in
            let net = payout.entries.filter { $0.net.currency == payout.amount.currency }.reduce(Int64(0)) { $0 &+ $1.net.minorUnits }
            let record = SideRecord(
                side: .processor, id: payout.id, amount: payout.amount, date: payout.arrival, detail: "payout \(payout.status)")
            if !payout.entries.isEmpty, net != payout.amount.minorUnits {
                let sum = Money(minorUnits: net, currency: payout.amount.currency)
                return ReconcileItem(
                    key: "\(ReconcileClass.amountMismatch.rawValue):\(payout.id)", kind: .amountMismatch, reference: nil, invoiceID: nil,
                    records: [record], difference: Money(minorUnits: payout.amount.minorUnits &- net, currency: payout.amount.currency),
                    explanation: "payout \(payout.id) is \(payout.amount) but what it pays out adds up to \(sum)")
            }
            guard ["in_transit", "pending"].contains(payout.status) else { return nil }
            return ReconcileItem(
                key: "\(ReconcileClass.expected.rawValue):\(payout.id)", kind: .expected, reference: nil, invoiceID: nil, records: [record],
                explanation: "payout \(payout.id) of \(payout.amount) is on its way to the bank")
        }
    }

    /// Links posplus made that can still take money although the ledger does not hold them
    /// open: a customer could pay through one with nothing to record the money against.
    func strayLinks(_ sides: ReconcileSides) -> [ReconcileItem] {
        sides.processorLinks.compactMap { link in
            let record = SideRecord(side: .processor, id: link.id, amount: nil, date: nil, detail: "active")
            var found: ReconcileItem
            switch link.inLedger {
            case .open:
                return nil
            case .unknown:
                found = ReconcileItem(
                    key: "\(ReconcileClass.missingInLedger.rawValue):\(link.id)", kind: .missingInLedger, reference: link.reference,
                    invoiceID: link.invoiceID, records: [record],
                    explanation: "link \(link.id) is active at the processor but posplus has no record of it: deactivate it")
            case .closed(let state):
                found = ReconcileItem(
                    key: "\(ReconcileClass.paidElsewhere.rawValue):\(link.id)", kind: .paidElsewhere, reference: link.reference,
                    invoiceID: link.invoiceID,
                    records: [record, SideRecord(side: .ledger, id: "link \(link.reference)", amount: nil, date: nil, detail: state)],
                    explanation: "posplus closed link \(link.id) (\(state)) but the processor still takes payments through it")
            }
            found.action = .deactivateProcessorLink(id: link.id)
            return found
        }
    }

    /// A terminal's batch totals (`B00`) against the ledger's for the same close.
    func batchDifferences(_ sides: ReconcileSides) -> [ReconcileItem] {
        sides.batchCloses.compactMap { close in
            guard close.terminalCount != close.ledgerCount || close.terminalTotal.minorUnits != close.ledgerTotal.minorUnits else {
                return nil
            }
            let id = "batch \(close.terminal) \(Int64(close.closedAt.timeIntervalSince1970))"
            return ReconcileItem(
                key: "\(ReconcileClass.amountMismatch.rawValue):\(id)", kind: .amountMismatch, reference: nil, invoiceID: nil,
                records: [
                    SideRecord(
                        side: .terminal, id: id, amount: close.terminalTotal, date: close.closedAt,
                        detail: "\(close.terminalCount) in batch"),
                    SideRecord(
                        side: .ledger, id: id, amount: close.ledgerTotal, date: close.closedAt, detail: "\(close.ledgerCount) in batch"),
                ],
                difference: Money(
                    minorUnits: close.terminalTotal.minorUnits &- close.ledgerTotal.minorUnits, currency: close.ledgerTotal.currency),
                explanation:
                    "\(close.terminal)'s batch closed with \(close.terminalCount) for \(close.terminalTotal); the ledger closed \(close.ledgerCount) for \(close.ledgerTotal)"
            )
        }
    }
}

import Foundation
import PosPlusCore

/// What one reconcile run has already joined, so no record is matched twice: a processor
/// payment, a terminal transaction or a Jobber record belongs to at most one ledger payment.
struct MatchState {
    let sides: ReconcileSides
    private let processorByReference: [String: [ProcessorPayment]]
    private let processorByID: [String: ProcessorPayment]
    private(set) var claimedProcessor: Set<String> = []
    var claimedTerminal: Set<String> = []
    var claimedJobber: Set<String> = []

    init(sides: ReconcileSides) {
        self.sides = sides
        processorByReference = Dictionary(grouping: sides.processor.filter { $0.reference != nil }) { $0.reference! }
        processorByID = Dictionary(sides.processor.map { ($0.id, $0) }) { first, _ in first }
    }

    /// The processor's payments for a ledger payment: by our reference, else by its id.
    func processorPayments(for payment: LedgerPayment) -> [ProcessorPayment] {
        let byReference = processorByReference[payment.reference] ?? []
        if !byReference.isEmpty { return byReference }
        return payment.processorID.flatMap { processorByID[$0] }.map { [$0] } ?? []
    }

    mutating func claimProcessor(_ ids: [String]) { claimedProcessor.formUnion(ids) }

    /// Records the office typed into Jobber that could be this payment: same invoice, same
    /// amount, dated within the window, not posplus's own and not already taken by another.
    func handEntries(on invoice: JobberInvoice, for payment: LedgerPayment, window: Duration) -> [JobberInvoice.Record] {
        let limit = window.timeInterval
        return invoice.records.filter { record in
            record.reference == nil && !claimedJobber.contains(record.id) && record.amount == payment.captured
                && abs(record.date.timeIntervalSince(payment.date)) <= limit
        }
    }
}

import Foundation
import PosPlusCore
import Reconcile

/// A generated month of a business's payments where every side agrees, into which tests plant
/// differences of each class. Deterministic: the same seed gives the same world.
struct ReconcileWorld {
    static let start = Date(timeIntervalSince1970: 1_793_836_800)  // 2026-11-05 00:00 UTC
    static let day: TimeInterval = 86_400
    var sides: ReconcileSides
    var now: Date { Self.start.addingTimeInterval(31 * Self.day) }

    /// `count` payments over 30 days, alternating terminals and Stripe, each written back.
    init(count: Int, seed: UInt64 = 42) {
        var generator = SplitMix64(seed: seed)
        var ledger: [LedgerPayment] = []
        var processor: [ProcessorPayment] = []
        var terminals: [TerminalRecord] = []
        var jobber: [JobberInvoice] = []
        for n in 1...count {
            let reference = String(format: "R%05d", n)
            let amount = Money(minorUnits: Int64(generator.next() % 90_000) + 500, currency: .usd)
            let date = Self.start.addingTimeInterval(Double(n % 30) * Self.day + Double(generator.next() % 36_000))
            let invoice = "inv-\(n)"
            let onTerminal = n % 2 == 0
            let terminal = "desk-\(n % 5)"
            ledger.append(
                LedgerPayment(
                    id: Int64(n), reference: reference, channel: onTerminal ? .terminal(terminal) : .processor, standing: .taken,
                    captured: amount, refunded: .zero(.usd), invoiceID: invoice, processorID: onTerminal ? nil : "pi_\(n)", date: date,
                    writeBackDone: true, writeBackQueued: true))
            if onTerminal {
                terminals.append(TerminalRecord(terminal: terminal, reference: reference, approved: true, amount: amount, date: date))
            } else {
                processor.append(
                    ProcessorPayment(
                        id: "pi_\(n)", reference: reference, invoiceID: invoice, succeeded: true, captured: amount, refunded: .zero(.usd),
                        date: date))
            }
            jobber.append(JobberInvoice(id: invoice, number: "\(1000 + n)", balance: .zero(.usd), noteReferences: [reference], records: []))
        }
        sides = ReconcileSides(ledger: ledger, processor: processor, terminals: terminals, jobber: jobber)
    }

    func reconcile() -> [ReconcileItem] { Reconciler().reconcile(sides, now: now) }

    mutating func ledger(_ reference: String, _ change: (inout LedgerPayment) -> Void) {
        let index = sides.ledger.firstIndex { $0.reference == reference }!
        change(&sides.ledger[index])
    }

    mutating func processor(_ reference: String, _ change: (inout ProcessorPayment) -> Void) {
        let index = sides.processor.firstIndex { $0.reference == reference }!
        change(&sides.processor[index])
    }

    mutating func invoice(_ id: String, _ change: (inout JobberInvoice) -> Void) {
        let index = sides.jobber.firstIndex { $0.id == id }!
        change(&sides.jobber[index])
    }
}

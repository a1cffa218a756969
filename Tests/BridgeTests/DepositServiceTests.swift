import Bridge
import Foundation
import Jobber
import JobberSimulator
import Ledger
import Logging
import PosPlusCore
import Testing

/// A deposit on a quote taken at the counter, through the payment path: Jobber's deposit rule,
/// the ledger's own count of deposits posplus took (Jobber's outstanding deposit lags), the PAX
/// simulator over TCP.
@Suite("Payment service: deposits on quotes", .timeLimit(.minutes(1)))
struct DepositServiceTests {
    typealias Harness = PaymentServiceTests.Harness

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    func deposit(_ h: Harness, quote: Int, _ amount: Money?, key: String, splitTender: Bool = false) async throws -> PaymentRecord {
        try await h.service.takeDeposit(
            quoteID: Seed.IDs.quote(quote).value, amount: amount, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey(key),
            splitTender: splitTender)
    }

    @Test func aDepositIsTakenInPartsUpToWhatIsStillToCollect() async throws {
        let h = try await Harness.start()
        let first = try await deposit(h, quote: 78, usd(10_000), key: "first")
        #expect(first.operation == .deposit && first.state == .approved && first.capturedMinor == 10_000)
        #expect(first.quoteID == Seed.IDs.quote(78).value && first.clientID == Seed.IDs.ada.value)
        #expect(try await deposit(h, quote: 78, usd(10_000), key: "first").id == first.id, "a retry is the same deposit")

        await #expect(
            throws: LedgerError.depositOwedExceeded(quote: "78", requested: usd(30_000), collected: usd(10_000), room: usd(20_000))
        ) {
            try await deposit(h, quote: 78, nil, key: "all-again", splitTender: true)  // Jobber still says $300.00 to collect
        }
        await #expect(throws: LedgerError.self, "a further deposit must be declared") {
            try await deposit(h, quote: 78, usd(20_000), key: "rest")
        }
        let rest = try await deposit(h, quote: 78, usd(20_000), key: "rest", splitTender: true)
        #expect(rest.state == .approved)
        #expect(h.terminal.terminal.log.count == 2)
        // Each deposit leaves its note on the quote, as every money movement does, written once.
        #expect(try h.writeBacks().count == 2)
        let worker = OutboxWorker(
            ledger: h.ledger,
            handlers: [JobberWriteBackJob.kind: JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: h.jobber.graphQL))],
            logger: Logger(label: "t"))
        _ = try await worker.runDueJobs()
        let notes = h.jobber.simulator.notes(quoteID: Seed.IDs.quote(78).value).map(\.message)
        #expect(notes.count == 2 && notes.allSatisfy { $0.hasPrefix("Paid $") && $0.contains("[posplus ") }, "\(notes)")
        for job in try h.writeBacks() { try h.ledger.rearmJob(job.id, actor: "test") }
        _ = try await worker.runDueJobs()
        #expect(h.jobber.simulator.notes(quoteID: Seed.IDs.quote(78).value).count == 2, "found by its marker, not written twice")
        await h.stop()
    }

    @Test func theDepositRuleRefusesBeforeAnythingIsRecorded() async throws {
        let h = try await Harness.start()
        await #expect(throws: ChargeCheckError.refused(.quoteDraft(quote: "79"))) {
            try await deposit(h, quote: 79, usd(100), key: "draft")
        }
        await #expect(throws: ChargeCheckError.self) { try await deposit(h, quote: 77, usd(11), key: "over") }  // $0.10 left
        #expect(try h.ledger.payments().isEmpty && h.terminal.terminal.log.isEmpty)
        await h.stop()
    }
}

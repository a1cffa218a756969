import Bridge
import Foundation
import HTTPClient
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// The outbox worker with a real ledger file and write-back over real HTTP to the Jobber
/// simulator: a crash between creating the note and marking the job done must not create a
/// second note.
@Suite("Outbox worker and Jobber write-back")
struct OutboxWorkerTests {
    @Test func aCrashAfterTheNoteWasCreatedDoesNotWriteItTwice() async throws {
        let jobber = try await SimulatedJobber.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = SteppingDate()
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests) { clock.date }
        let note = WriteBackNote(
            invoiceID: Seed.IDs.invoice(1042).value, reference: "P0000000000000B7", amount: Money(minorUnits: 46_000, currency: .usd),
            method: "card", card: "VISA 1111", authCode: "A1B2C3", operatorName: "ada", time: "2026-11-22T15:04:00Z")
        try ledger.enqueue(JobberWriteBackJob.job(for: note))

        let writeBack = JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: jobber.graphQL))
        let crashes = Crashes(remaining: 1)
        let handler: OutboxWorker.Handler = { job in
            try await writeBack(job)
            if crashes.take() { throw CocoaError(.fileWriteUnknown) }  // died before the job was marked done
        }
        let worker = OutboxWorker(
            ledger: ledger, handlers: [JobberWriteBackJob.kind: handler],
            schedule: RetrySchedule(initialDelay: .seconds(10), maximumDelay: .seconds(60), maximumAttempts: 5), logger: Logger(label: "t"))

        #expect(try await worker.runDueJobs() == 0)
        #expect(try ledger.jobs(states: [.pending]).count == 1)
        clock.advance(30)
        #expect(try await worker.runDueJobs() == 1)
        let ours = jobber.simulator.notes(invoiceNumber: "1042").filter { $0.message.contains("[posplus P0000000000000B7]") }
        #expect(ours.count == 1)
        #expect(try ledger.jobs(states: [.done]).count == 1)
        await jobber.stop()
    }

    @Test func aJobWithoutAHandlerIsKeptAndExplained() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        try ledger.enqueue(NewOutboxJob(kind: "receipt.sms", dedupeKey: "r1", payload: "{}"))
        _ = try await OutboxWorker(ledger: ledger, handlers: [:], logger: Logger(label: "t")).runDueJobs()
        #expect(try ledger.jobs().first?.lastError == "no handler for job kind receipt.sms")
    }

    @Test func aDrainRunsEveryDueJobNotOnlyOneBatchAndStopsAtAFailure() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        for n in 0..<45 { try ledger.enqueue(NewOutboxJob(kind: "count", dedupeKey: "c\(n)", payload: "{}")) }
        let runs = Counter()
        let worker = OutboxWorker(
            ledger: ledger, handlers: ["count": { _ in _ = runs.next() }], logger: Logger(label: "t"))
        #expect(try await worker.drain(batch: 10) == 45)
        #expect(runs.value == 45)
        #expect(try ledger.jobs(states: [.pending, .running]).isEmpty)

        // A failing handler ends the drain after its pass: 10 tried, the rest wait for the next tick.
        for n in 0..<30 { try ledger.enqueue(NewOutboxJob(kind: "fail", dedupeKey: "f\(n)", payload: "{}")) }
        let tries = Counter()
        let failing = OutboxWorker(
            ledger: ledger,
            handlers: [
                "fail": { _ in
                    _ = tries.next(); throw CocoaError(.fileWriteUnknown)
                }
            ], logger: Logger(label: "t"))
        #expect(try await failing.drain(batch: 10) == 0)
        #expect(tries.value == 10)
    }

    final class Crashes: @unchecked Sendable {
        private let lock = NSLock()
        private var remaining: Int
        init(remaining: Int) { self.remaining = remaining }
        func take() -> Bool {
            lock.withLock {
                defer { remaining -= 1 }; return remaining > 0
            }
        }
    }
}

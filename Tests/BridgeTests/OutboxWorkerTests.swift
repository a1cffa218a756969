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
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path) { clock.date }
        let payload =
            #"{"invoiceID":"\#(Seed.IDs.invoice(1042).value)","reference":"P0000000000000B7","amountMinor":46000,"operator":"ada"}"#
        try ledger.enqueue(NewOutboxJob(kind: "jobber.writeBack", dedupeKey: "writeback-P0000000000000B7", payload: payload))

        let writeBack = JobberWriteBack(client: jobber.graphQL)
        let crashes = Crashes(remaining: 1)
        let handler: OutboxWorker.Handler = { job in
            let json = try JSONValue.parse(Array(job.payload.utf8))
            let note = WriteBackNote(
                invoiceID: json["invoiceID"]!.string!, reference: json["reference"]!.string!,
                amount: Money(minorUnits: Int64(json["amountMinor"]!.int!), currency: .usd), method: "card", card: nil, authCode: nil,
                operatorName: json["operator"]!.string!, time: "2026-11-22 15:04 UTC")
            _ = try await writeBack.write(note)
            if crashes.take() { throw CocoaError(.fileWriteUnknown) }  // died before the job was marked done
        }
        let worker = OutboxWorker(
            ledger: ledger, handlers: ["jobber.writeBack": handler],
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
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path)
        try ledger.enqueue(NewOutboxJob(kind: "receipt.sms", dedupeKey: "r1", payload: "{}"))
        _ = try await OutboxWorker(ledger: ledger, handlers: [:], logger: Logger(label: "t")).runDueJobs()
        #expect(try ledger.jobs().first?.lastError == "no handler for job kind receipt.sms")
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

import Bridge
import Foundation
import HTTPClient
import Jobber
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// The outbox worker with a real ledger file and write-back over real HTTP: a crash between
/// creating the note and marking the job done must not create a second note.
@Suite("Outbox worker and Jobber write-back")
struct OutboxWorkerTests {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var now = Date(timeIntervalSince1970: 1_795_000_000)
        var date: Date { lock.withLock { now } }
        func advance(_ seconds: TimeInterval) { lock.withLock { now = now.addingTimeInterval(seconds) } }
    }

    final class Notes: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [String] = []
        var all: [String] { lock.withLock { messages } }
        func add(_ message: String) { lock.withLock { messages.append(message) } }
    }

    @Test func aCrashAfterTheNoteWasCreatedDoesNotWriteItTwice() async throws {
        let notes = Notes()
        let server = try LocalHTTPServer { request in
            let text = request.text
            if text.contains("query Notes(") {
                let nodes = notes.all.map { #"{"id":"n","message":\#(JSONValue.string($0).serialized)}"# }.joined(separator: ",")
                return .respond(status: 200, body: Array(#"{"data":{"invoice":{"notes":{"nodes":[\#(nodes)]}}}}"#.utf8))
            }
            if text.contains("mutation WriteBack(") {
                notes.add((try? JSONValue.parse(request.body))?["variables"]?["message"]?.string ?? "")
                return .respond(
                    status: 200, body: Array(#"{"data":{"invoiceCreateNote":{"invoiceNote":{"id":"n"},"userErrors":[]}}}"#.utf8))
            }
            return .respond(status: 200, body: Array(#"{"data":{"__type":{"fields":[]}}}"#.utf8))
        }
        defer { server.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = Clock()
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path) { clock.date }
        let payload = #"{"invoiceID":"SW52LzEwNDI=","reference":"P0000000000000B7","amountMinor":46000,"operator":"ada"}"#
        try ledger.enqueue(NewOutboxJob(kind: "jobber.writeBack", dedupeKey: "writeback-P0000000000000B7", payload: payload))

        let tokens = JobberTokens(accountID: "a", accessToken: Secret("t"), refreshToken: Secret("r"), expiresAt: .distantFuture)
        let manager = JobberTokenManager(store: FixedStore(tokens: tokens)) {
            (old: JobberTokens) async throws(JobberError) -> JobberTokens in old
        }
        let client = JobberGraphQLClient(
            endpoint: server.baseURL + "/api/graphql", apiVersion: "2025-04-16", tokens: manager,
            http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")), clock: ContinuousClock(), logger: Logger(label: "t"))
        let writeBack = JobberWriteBack(client: client)
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
        #expect(notes.all.count == 1)
        #expect(notes.all.first?.hasSuffix("[posplus P0000000000000B7]") == true)
        #expect(try ledger.jobs(states: [.done]).count == 1)
    }

    @Test func aJobWithoutAHandlerIsKeptAndExplained() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path)
        try ledger.enqueue(NewOutboxJob(kind: "receipt.sms", dedupeKey: "r1", payload: "{}"))
        _ = try await OutboxWorker(ledger: ledger, handlers: [:], logger: Logger(label: "t")).runDueJobs()
        #expect(try ledger.jobs().first?.lastError == "no handler for job kind receipt.sms")
    }

    struct FixedStore: JobberTokenStore {
        let tokens: JobberTokens
        func load() async throws -> JobberTokens? { tokens }
        func save(_ tokens: JobberTokens) async throws {}
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

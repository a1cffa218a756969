import Bridge
import Foundation
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// After Jobber's APP_DISCONNECT, posplus sends Jobber nothing: the outbox's write-backs wait,
/// pending and explained, without using up attempts, and go out once (and only once) after
/// staff connect again. A real ledger file, the real webhook inbox and outbox worker, and the
/// Jobber simulator over HTTP, whose request counter proves that nothing was sent.
@Suite("Jobber disconnect stops Jobber traffic; write-backs wait for reconnect")
struct JobberDisconnectTests {
    @Test func aDisconnectedAccountGetsNoRequestsAndItsWriteBackGoesOutOnceAfterReconnect() async throws {
        let jobber = try await SimulatedJobber.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-disconnect-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = SteppingDate()
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests) { clock.date }
        try save(try #require(try await jobber.store.load()), in: ledger)
        let (_, graphQL) = jobber.client(store: LedgerJobberTokenStore(ledger: ledger))
        // Only one attempt allowed: a wait that counted as an attempt would leave the job dead.
        let worker = OutboxWorker(
            ledger: ledger, handlers: [JobberWriteBackJob.kind: JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: graphQL))],
            schedule: RetrySchedule(initialDelay: .seconds(10), maximumDelay: .seconds(60), maximumAttempts: 1), logger: Logger(label: "t"))
        _ = try await graphQL.execute("query Account { account { id } }")  // serve has been talking to Jobber

        // The account disconnects the app: Jobber revokes the tokens and sends APP_DISCONNECT.
        await jobber.simulator.disconnect()
        let inbox = JobberWebhookInbox(
            ledger: ledger, verifier: JobberWebhookVerifier(clientSecret: Secret(jobber.simulator.clientSecret)), logger: Logger(label: "t")
        )
        let webhook = jobber.simulator.signedWebhook(topic: "APP_DISCONNECT", itemID: Seed.IDs.account.value)
        _ = try inbox.receive(body: webhook.body, signature: webhook.signature)
        try inbox.processPending()

        // A payment is taken meanwhile; its note is queued.
        let reference = "P0000000000000D1"
        try ledger.enqueue(
            JobberWriteBackJob.job(
                for: WriteBackNote(
                    invoiceID: Seed.IDs.invoice(1042).value, reference: reference, amount: Money(minorUnits: 46_000, currency: .usd),
                    method: "card", card: "VISA 1111", authCode: "A1B2C3", operatorName: "ada", time: "2026-11-22T15:04:00Z")))
        let requestsBefore = jobber.simulator.stats.graphQLRequests
        for _ in 0..<3 {
            #expect(try await worker.runDueJobs() == 0)
            clock.advance(60)
        }
        #expect(jobber.simulator.stats.graphQLRequests == requestsBefore)  // nothing reached Jobber
        #expect(jobber.simulator.stats.unauthorizedRequests == 0)
        let waiting = try #require(try ledger.jobs().first)
        #expect(waiting.state == .pending)
        #expect(waiting.attempts == 0)
        #expect(waiting.lastError?.contains(JobberWriteBackJob.waitingForReconnect) == true)

        // Staff reconnect (`posplus jobber connect` stores a new pair); the note goes out once.
        try save(try await jobber.connectAgain(), in: ledger)
        clock.advance(60)
        #expect(try await worker.runDueJobs() == 1)
        clock.advance(60)
        #expect(try await worker.runDueJobs() == 0)
        #expect(jobber.simulator.notes(invoiceNumber: "1042").filter { $0.message.contains("[posplus \(reference)]") }.count == 1)
        #expect(try ledger.jobs(states: [.done]).count == 1)
        #expect(try ledger.verifyAuditChain().isIntact)
        await jobber.stop()
    }

    @Test func jobbersOwnDisconnectAnswerStopsTrafficWithoutWaitingForTheWebhook() async throws {
        let jobber = try await SimulatedJobber.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-disconnect-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = SteppingDate()
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests) { clock.date }
        try save(try #require(try await jobber.store.load()), in: ledger)
        let (_, graphQL) = jobber.client(store: LedgerJobberTokenStore(ledger: ledger))
        let worker = OutboxWorker(
            ledger: ledger, handlers: [JobberWriteBackJob.kind: JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: graphQL))],
            schedule: RetrySchedule(initialDelay: .seconds(10), maximumDelay: .seconds(60), maximumAttempts: 1), logger: Logger(label: "t"))
        await jobber.simulator.disconnect()  // APP_DISCONNECT is late (or lost): no webhook arrives
        try ledger.enqueue(
            JobberWriteBackJob.job(
                for: WriteBackNote(
                    invoiceID: Seed.IDs.invoice(1042).value, reference: "P0000000000000D2", amount: Money(minorUnits: 100, currency: .usd),
                    method: "card", card: nil, authCode: nil, operatorName: "ada", time: "2026-11-22T15:04:00Z")))
        for _ in 0..<3 {
            #expect(try await worker.runDueJobs() == 0)
            clock.advance(60)
        }
        // One request learnt of it (Jobber's 401 names the disconnect); nothing was sent after.
        #expect(jobber.simulator.stats.graphQLRequests == 1)
        #expect(try ledger.jobberConnection()?.disconnectedAt != nil)
        let waiting = try #require(try ledger.jobs().first)
        #expect(waiting.state == .pending && waiting.attempts == 0)
        await jobber.stop()
    }

    @Test func aClientOfADisconnectedAccountSendsNothing() async throws {
        let jobber = try await SimulatedJobber.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-disconnect-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        try save(try #require(try await jobber.store.load()), in: ledger)
        let (_, graphQL) = jobber.client(store: LedgerJobberTokenStore(ledger: ledger))
        _ = try await graphQL.execute("query Account { account { id } }")
        try ledger.disconnectJobberAccount(Seed.IDs.account.value, actor: "jobber webhook")
        let before = jobber.simulator.stats.graphQLRequests
        await #expect {
            try await jobber.invoices(graphQL).invoice(number: "1042")
        } throws: { error in
            (error as? JobberError)?.needsReconnect == true
        }
        #expect(jobber.simulator.stats.graphQLRequests == before)
        await jobber.stop()
    }

    func save(_ tokens: JobberTokens, in ledger: Ledger) throws {
        try ledger.saveJobberConnection(
            JobberConnection(
                accountID: tokens.accountID, accountName: "Maple & Pine Home Services", accessToken: tokens.accessToken,
                refreshToken: tokens.refreshToken, accessExpiresAt: tokens.expiresAt, connectedAt: Date()),
            actor: "jobber connect")
    }
}

extension SimulatedJobber {
    func invoices(_ client: JobberGraphQLClient<RecordingClock>) -> JobberInvoices<RecordingClock> {
        JobberInvoices(client: client, currency: .usd)
    }
}

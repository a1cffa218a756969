import Bridge
import Foundation
import Gateway
import Jobber
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// A Jobber event whose processing fails neither blocks the events after it nor is dropped:
/// it waits out its back-off and is acted on by a later pass.
@Suite("Jobber webhook inbox: a failed try is tried again")
struct JobberWebhookRetryTests {
    let verifier = JobberWebhookVerifier(clientSecret: Secret("app-client-secret"))

    func body(_ topic: String, item: String) -> [UInt8] {
        Array(
            #"{"data":{"webHookEvent":{"topic":"\#(topic)","appId":"app","accountId":"QWNjb3VudC8x","itemId":"\#(item)","occurredAt":"2026-11-22T10:00:00-05:00"}}}"#
                .utf8)
    }

    /// Runs `sql` on the ledger file from another process, the sqlite3 shell.
    func sqlite(_ path: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func aDisconnectThatFailsOnceStaysPendingAndIsAppliedAfterItsBackOff() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-jobber-retry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = SteppingDate()
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests, clock: { clock.date })
        try ledger.saveJobberConnection(
            JobberConnection(
                accountID: "QWNjb3VudC8x", accountName: "Acme", accessToken: Secret("at"), refreshToken: Secret("rt"),
                accessExpiresAt: .distantFuture, connectedAt: clock.date),
            actor: "test")
        let inbox = JobberWebhookInbox(ledger: ledger, verifier: verifier, logger: Logger(label: "t"))
        for (topic, item) in [("APP_DISCONNECT", "QWNjb3VudC8x"), ("INVOICE_UPDATE", "SW52LzEwNDI=")] {
            let event = body(topic, item: item)
            _ = try inbox.receive(body: event, signature: verifier.signature(for: event))
        }
        try sqlite(
            ledger.path, "CREATE TRIGGER hiccup BEFORE UPDATE ON jobberConnection BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;")

        #expect(try inbox.processPending() == 1, "the invoice update is not held up")
        let disconnect = try #require(try ledger.webhooks().first { $0.topic == "APP_DISCONNECT" })
        #expect(disconnect.state == .pending && disconnect.attempts == 1)
        #expect(try ledger.jobberConnection(accountID: "QWNjb3VudC8x")?.disconnectedAt == nil)
        #expect(try inbox.processPending() == 0, "not due before its back-off is over")
        #expect(try inbox.nextDue() == clock.date.addingTimeInterval(WebhookRetrySchedule.delay(afterFailures: 1)))
        // Stripe's inbox has nothing waiting: another source's event must not wake it.
        let stripe = StripeWebhookInbox(
            ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret("whsec_t")), logger: inbox.logger)
        #expect(try stripe.nextDue() == nil)

        try sqlite(ledger.path, "DROP TRIGGER hiccup;")
        clock.advance(WebhookRetrySchedule.delay(afterFailures: 1))
        #expect(try inbox.processPending() == 1)
        #expect(try ledger.jobberConnection(accountID: "QWNjb3VudC8x")?.disconnectedAt != nil)
        #expect(try ledger.webhook(id: disconnect.id)?.state == .processed)
    }
}

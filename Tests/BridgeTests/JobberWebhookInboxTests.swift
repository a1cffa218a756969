import Bridge
import Foundation
import InMemoryLogging
import Jobber
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

@Suite("Jobber webhook inbox: verify, store, then act")
struct JobberWebhookInboxTests {
    let verifier = JobberWebhookVerifier(clientSecret: Secret("app-client-secret"))

    func body(_ topic: String, item: String = "SW52LzEwNDI=", at time: String = "2026-11-22T10:00:00-05:00") -> [UInt8] {
        Array(
            #"{"data":{"webHookEvent":{"topic":"\#(topic)","appId":"app","accountId":"QWNjb3VudC8x","itemId":"\#(item)","occurredAt":"\#(time)"}}}"#
                .utf8)
    }

    func ledger() throws -> (Ledger, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-webhooks-\(UUID().uuidString)")
        return (try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests), folder)
    }

    @Test func aDeliveryIsStoredOnceAndARetryIsRecognised() throws {
        let (ledger, folder) = try ledger()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inbox = JobberWebhookInbox(ledger: ledger, verifier: verifier, logger: Logger(label: "t"))
        let update = body("INVOICE_UPDATE")
        guard case .stored = try inbox.receive(body: update, signature: verifier.signature(for: update)) else {
            Issue.record("the first delivery is stored")
            return
        }
        #expect(try inbox.receive(body: update, signature: verifier.signature(for: update)) == .duplicate)
        let later = body("INVOICE_UPDATE", at: "2026-11-22T10:05:00-05:00")
        guard case .stored = try inbox.receive(body: later, signature: verifier.signature(for: later)) else {
            Issue.record("a later change to the same invoice is a new event")
            return
        }
        #expect(try inbox.processPending() == 2)
        #expect(try ledger.pendingWebhooks().isEmpty)
        #expect(try inbox.processPending() == 0)
    }

    @Test func anInvoiceCreatedOrChangedPlansItsRemindersOncePerEvent() throws {
        let (ledger, folder) = try ledger()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inbox = JobberWebhookInbox(ledger: ledger, verifier: verifier, logger: Logger(label: "t"))
        for (topic, time) in [("INVOICE_CREATE", "2026-11-22T10:00:00-05:00"), ("INVOICE_UPDATE", "2026-11-22T10:05:00-05:00")] {
            let event = body(topic, at: time)
            _ = try inbox.receive(body: event, signature: verifier.signature(for: event))
        }
        #expect(try inbox.processPending() == 2)
        let plans = try ledger.jobs().filter { $0.kind == "reminders.plan" }
        #expect(plans.count == 2 && plans.allSatisfy { $0.payload == #"{"invoice":"SW52LzEwNDI="}"# }, "\(plans.map(\.payload))")
    }

    @Test func appDisconnectForgetsTheTokens() throws {
        let (ledger, folder) = try ledger()
        defer { try? FileManager.default.removeItem(at: folder) }
        try ledger.saveJobberConnection(
            JobberConnection(
                accountID: "QWNjb3VudC8x", accountName: "Acme", accessToken: Secret("at"), refreshToken: Secret("rt"),
                accessExpiresAt: .distantFuture, connectedAt: Date()),
            actor: "test")
        let inbox = JobberWebhookInbox(ledger: ledger, verifier: verifier, logger: Logger(label: "t"))
        let disconnect = body("APP_DISCONNECT", item: "QWNjb3VudC8x")
        _ = try inbox.receive(body: disconnect, signature: verifier.signature(for: disconnect))
        try inbox.processPending()
        let connection = try #require(try ledger.jobberConnection(accountID: "QWNjb3VudC8x"))
        #expect(connection.disconnectedAt != nil)
        #expect(connection.refreshToken.expose().isEmpty)
        #expect(try ledger.verifyAuditChain().isIntact)
    }

    @Test func aForgedDeliveryIsRefusedLoggedWithoutItsContentAndNotStored() throws {
        let (ledger, folder) = try ledger()
        defer { try? FileManager.default.removeItem(at: folder) }
        let logs = InMemoryLogHandler()
        let inbox = JobberWebhookInbox(ledger: ledger, verifier: verifier, logger: Logger(label: "t") { _ in logs })
        let forged = body("APP_DISCONNECT", item: "QWNjb3VudC8x")
        #expect(throws: JobberError.self) { try inbox.receive(body: forged, signature: "AAAA") }
        #expect(throws: JobberError.self) { try inbox.receive(body: forged, signature: nil) }
        #expect(try ledger.pendingWebhooks().isEmpty)
        let logged = logs.entries.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(logged.contains("rejected a Jobber webhook"))
        #expect(!logged.contains("QWNjb3VudC8x") && !logged.contains("APP_DISCONNECT"))
    }
}

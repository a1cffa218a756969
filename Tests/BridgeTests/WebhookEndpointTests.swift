import Bridge
import Foundation
import HTTPClient
import HTTPServing
import Jobber
import JobberSimulator
import Ledger
import Logging
import PosPlusCore
import Server
import TestSupport
import Testing

/// posplus's webhook endpoint on a real port, fed by the Jobber simulator's signed webhooks:
/// stored before the answer, processed after it, duplicates recognised, forgeries refused.
@Suite("Webhook endpoint: Jobber deliveries end to end", .timeLimit(.minutes(1)))
struct WebhookEndpointTests {
    /// The service side: a ledger, the inbox, the endpoint and its processing loop.
    struct Service {
        let folder: URL
        let ledger: Ledger
        let server: RunningHTTPServer
        let processing: WebhookProcessing
        let loop: Task<Void, Never>
        let passes: AsyncStream<Int>

        static func start(secret: String) async throws -> Service {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-endpoint-\(UUID().uuidString)")
            let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
            let inbox = JobberWebhookInbox(
                ledger: ledger, verifier: JobberWebhookVerifier(clientSecret: Secret(secret)), logger: Logger(label: "t"))
            let processing = WebhookProcessing(inboxes: [inbox], logger: Logger(label: "t"))
            let (passes, report) = AsyncStream<Int>.makeStream()
            let loop = Task { await processing.run { report.yield($0) } }
            let server = try await PosPlusServer(jobberInbox: inbox, processing: processing, logger: Logger(label: "t")).start(port: 0)
            return Service(folder: folder, ledger: ledger, server: server, processing: processing, loop: loop, passes: passes)
        }

        var webhookURL: String { server.baseURL + "/webhooks/jobber" }

        /// Waits until a processing pass has handled at least `count` events in all.
        func processed(atLeast count: Int) async {
            var total = 0
            for await handled in passes {
                total += handled
                if total >= count { return }
            }
        }

        func stop() async {
            await server.stop()
            processing.finish()
            await loop.value
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func aSignedInvoiceUpdateIsStoredAnsweredAndProcessed() async throws {
        let jobber = try JobberSimulator()
        let service = try await Service.start(secret: jobber.clientSecret)
        jobber.setWebhookURL(service.webhookURL)
        let sent = await jobber.setStatus(invoice: Seed.IDs.invoice(1043), .paid)
        #expect(sent.map(\.status) == [200])
        #expect(sent.map(\.topic) == ["INVOICE_UPDATE"])
        await service.processed(atLeast: 1)
        #expect(try service.ledger.pendingWebhooks().isEmpty)
        await service.stop()
    }

    @Test func aRedeliveryIsAcknowledgedButStoredOnce() async throws {
        let jobber = try JobberSimulator()
        let service = try await Service.start(secret: jobber.clientSecret)
        let (body, signature) = jobber.signedWebhook(topic: "PAYMENT_CREATE", itemID: "UGF5bWVudC8x")
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        func post(_ signature: String?) async throws -> HTTPResponse {
            var headers = [("Content-Type", "application/json")]
            if let signature { headers.append(("X-Jobber-Hmac-SHA256", signature)) }
            return try await http.send(HTTPRequest(.post, service.webhookURL, headers: headers, body: body))
        }
        #expect(try await post(signature).text.contains("stored"))
        #expect(try await post(signature).text.contains("duplicate"))
        #expect(try await post(nil).status == 401)  // unsigned
        #expect(try await post("bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsIQ==").status == 401)  // forged
        let notAnEvent = Array(#"{"data":{}}"#.utf8)
        let signedButMalformed = try await http.send(
            HTTPRequest(
                .post, service.webhookURL,
                headers: [("Content-Type", "application/json"), ("X-Jobber-Hmac-SHA256", jobber.webhookSignature(of: notAnEvent))],
                body: notAnEvent))
        #expect(signedButMalformed.status == 400)  // Jobber's, but unreadable: not a forgery
        await service.processed(atLeast: 1)
        #expect(try service.ledger.pendingWebhooks().isEmpty)
        await service.stop()
    }

    @Test func appDisconnectFromJobberForgetsTheTokens() async throws {
        let jobber = try JobberSimulator()
        let service = try await Service.start(secret: jobber.clientSecret)
        let account = Seed.IDs.account.value
        try service.ledger.saveJobberConnection(
            JobberConnection(
                accountID: account, accountName: "Maple & Pine", accessToken: Secret("at"), refreshToken: Secret("rt"),
                accessExpiresAt: .distantFuture, connectedAt: Date()),
            actor: "test")
        jobber.setWebhookURL(service.webhookURL)
        #expect(await jobber.disconnect().map(\.status) == [200])
        await service.processed(atLeast: 1)
        let connection = try #require(try service.ledger.jobberConnection(accountID: account))
        #expect(connection.disconnectedAt != nil)
        #expect(connection.refreshToken.expose().isEmpty)
        await service.stop()
    }

    @Test func theLegacyOccuredAtSpellingIsAccepted() async throws {
        var options = JobberSimulator.Options()
        options.legacyWebhookSpelling = true
        let jobber = try JobberSimulator(options: options)
        let service = try await Service.start(secret: jobber.clientSecret)
        jobber.setWebhookURL(service.webhookURL)
        #expect(await jobber.recordPayment(invoice: Seed.IDs.invoice(1042), cents: 460)?.map(\.status) == [200, 200])
        await service.processed(atLeast: 2)
        await service.stop()
    }
}

import Bridge
import Foundation
import HTTPClient
import Ledger
import Logging
import Messaging
import PosPlusCore
import TestSupport
import Testing

/// A link message that cannot go out (the mail server is down) stays in the outbox and goes
/// out on a later pass; the ledger's clock is stepped, nothing sleeps.
@Suite("Payment-link messages through the outbox", .timeLimit(.minutes(1)))
struct LinkDeliveryTests {
    @Test func aMailServerThatIsDownDelaysTheEmailButDoesNotLoseIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-delivery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = SteppingDate()
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests) { clock.date }
        var generator = SystemRandomNumberGenerator()
        let reference = PaymentReference.random(using: &generator)
        let link = try ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_1", url: "https://buy.example/plink_1", invoiceID: "i", invoiceNumber: "1042",
                amount: Money(minorUnits: 460, currency: .usd), reference: reference),
            actor: "test")
        let payload = JSONValue.object(["link": .number(String(link.id)), "to": .string("ada@example.com")]).serialized
        try ledger.enqueue(NewOutboxJob(kind: LinkDelivery.emailJob, dedupeKey: "email-\(reference.rawValue)", payload: payload))

        let down = UnlistenedPort()
        func worker(_ url: String) throws -> OutboxWorker {
            let mailer = SMTPMailer(
                settings: SMTPSettings(
                    url: url, from: try EmailAddress("billing@maplepine.example"), requireTLS: false, timeout: .seconds(5)))
            var templates = MessageTemplates()
            templates.emailSubject = "Pay invoice #{invoice}"
            return OutboxWorker(
                ledger: ledger,
                handlers: LinkDelivery.handlers(
                    ledger: ledger, mailer: mailer, sms: SMSSender<ContinuousClock>?.none, businessName: "Maple & Pine",
                    templates: templates),
                schedule: RetrySchedule(initialDelay: .seconds(10), maximumDelay: .seconds(60), maximumAttempts: 5),
                logger: Logger(label: "t"))
        }
        _ = try await worker("smtp://127.0.0.1:\(down.port)").runDueJobs()
        let waiting = try #require(try ledger.jobs(states: [.pending]).first)
        #expect(waiting.attempts == 1)
        #expect(waiting.lastError?.contains("mail server") == true)

        let sink = try SMTPSink()
        defer { sink.stop() }
        clock.advance(30)
        #expect(try await worker(sink.url).runDueJobs() == 1)
        #expect(try ledger.jobs(states: [.done]).count == 1)
        let email = try #require(sink.messages.first)
        #expect(email.contains("Subject: Pay invoice #1042"))
        #expect(email.contains("https://buy.example/plink_1"))
    }

    /// A link cancelled before its text went out is never texted: the customer must not get a
    /// link that does not work. The job is done, not retried.
    @Test func aCancelledLinksMessageIsNotSent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-delivery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        var generator = SystemRandomNumberGenerator()
        let reference = PaymentReference.random(using: &generator)
        let link = try ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_1", url: "https://buy.example/plink_1", invoiceID: "i", invoiceNumber: "1042",
                amount: Money(minorUnits: 460, currency: .usd), reference: reference),
            actor: "test")
        let payload = JSONValue.object(["link": .number(String(link.id)), "to": .string("+15555550101")]).serialized
        try ledger.enqueue(NewOutboxJob(kind: LinkDelivery.smsJob, dedupeKey: "sms-\(reference.rawValue)", payload: payload))
        _ = try ledger.closeLink(id: link.id, as: .cancelled, actor: "tess")

        let server = try LocalHTTPServer { _ in .respond(status: 201, body: Array(#"{"sid":"SM1","status":"queued"}"#.utf8)) }
        defer { server.stop() }
        let sms = SMSSender(
            settings: SMSSettings(
                baseURL: server.baseURL, accountSID: "AC1", authToken: Secret("t"), from: try PhoneNumber("+15555550000")),
            http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")))
        let worker = OutboxWorker(
            ledger: ledger, handlers: LinkDelivery.handlers(ledger: ledger, mailer: nil, sms: sms, businessName: "Maple & Pine"),
            logger: Logger(label: "t"))
        #expect(try await worker.runDueJobs() == 1)
        #expect(server.requests.isEmpty)
        #expect(try ledger.jobs().map(\.state) == [.done])
    }
}

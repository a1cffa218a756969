import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import Messaging
import PosPlusCore
import TestSupport
import Testing

/// The link service against the Jobber and Stripe simulators over real HTTP, with a real
/// ledger file: what it records, and what it does when the ledger refuses the record.
@Suite("Payment link service", .timeLimit(.minutes(1)))
struct PaymentLinkServiceTests {
    @Test func aLinkTheLedgerCannotRecordIsShutAtStripe() async throws {
        let jobber = try await SimulatedJobber.start()
        let stripe = StripeSimulator()
        let stripeServer = try await stripe.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-link-service-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        let gateway = StripeGateway(
            client: StripeClient(
                configuration: StripeConfiguration(baseURL: stripeServer.baseURL, secretKey: Secret("sk_test_t")),
                http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))))
        let service = PaymentLinkService(
            ledger: ledger, gateway: gateway, invoices: jobber.invoices, rules: ChargeGuard(), businessName: "Maple & Pine")

        // A row already holds the id the simulator hands out next, so recording the new link fails.
        var generator = SystemRandomNumberGenerator()
        try ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_sim0000000001", url: "https://example/old", invoiceID: "i-old",
                amount: Money(minorUnits: 100, currency: .usd), reference: PaymentReference.random(using: &generator)),
            actor: "test")
        await #expect(throws: LedgerError.self) {
            try await service.send(
                invoiceNumber: "1042", amount: nil, to: .email(try EmailAddress("ada@example.com")), operator: "test")
        }
        let payAttempt = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, stripeServer.baseURL + "/_sim/payment_links/plink_sim0000000001/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8)))
        #expect(payAttempt.text.contains("payment_link_inactive"), "the unrecorded link was deactivated")
        #expect(try ledger.jobs().isEmpty, "no message for a link that was not recorded")

        let sent = try await service.send(
            invoiceNumber: "1042", amount: nil, to: .email(try EmailAddress("ada@example.com")), operator: "test")
        #expect(sent.amountMinor == 460 && sent.invoiceNumber == "1042" && sent.state == .open)
        #expect(try ledger.jobs().map(\.kind) == [LinkDelivery.emailJob], "recorded and queued together")

        // The invoice was paid at the counter meanwhile; Jobber still shows it owed (a note only).
        let counter = try ledger.begin(
            PaymentRequest(
                operation: .sale, amount: Money(minorUnits: 460, currency: .usd), invoiceID: Seed.IDs.invoice(1042).value,
                invoiceNumber: "1042", channel: "front-desk"),
            idempotencyKey: try IdempotencyKey("counter"), operator: "test"
        ).payment
        let attempt = try ledger.startAttempt(paymentID: counter.id, reference: PaymentReference("P00000000COUNTER"), actor: "test")
        try ledger.finishAttempt(
            attempt.id, with: .approved(AttemptDetails(captured: Money(minorUnits: 460, currency: .usd))), actor: "test")
        await #expect(
            throws: LedgerError.invoiceOwedExceeded(
                invoice: "1042", requested: Money(minorUnits: 460, currency: .usd), collected: Money(minorUnits: 460, currency: .usd),
                room: Money(minorUnits: 0, currency: .usd))
        ) {
            try await service.send(invoiceNumber: "1042", amount: nil, to: .email(try EmailAddress("ada@example.com")), operator: "test")
        }
        await stripeServer.stop()
        await jobber.stop()
    }
    /// A double tap on "Send" sends one link: the same key returns the link sent first, with no
    /// second link at Stripe and no second message; the key for another invoice is refused.
    @Test func theSameKeySendsOneLink() async throws {
        let jobber = try await SimulatedJobber.start()
        let stripe = StripeSimulator()
        let stripeServer = try await stripe.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-link-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        let gateway = StripeGateway(
            client: StripeClient(
                configuration: StripeConfiguration(baseURL: stripeServer.baseURL, secretKey: Secret("sk_test_t")),
                http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))))
        let service = PaymentLinkService(
            ledger: ledger, gateway: gateway, invoices: jobber.invoices, rules: ChargeGuard(), businessName: "Maple & Pine")
        let to = PaymentLinkService<RecordingClock>.Recipient.sms(try PhoneNumber("+15555550101"))
        let key = try IdempotencyKey("tap-1")

        let first = try await service.send(invoiceNumber: "1042", amount: nil, to: to, operator: "tess", idempotencyKey: key)
        let again = try await service.send(invoiceNumber: "1042", amount: nil, to: to, operator: "tess", idempotencyKey: key)
        #expect(again == first)
        #expect(first.reference == PaymentLinkService<RecordingClock>.reference(for: key).rawValue && first.reference.hasPrefix("L"))
        #expect(try ledger.links().count == 1 && ledger.jobs().count == 1)
        await #expect(throws: PaymentLinkError.keyReused(key: "tap-1", linkID: first.id)) {
            try await service.send(invoiceNumber: "1043", amount: nil, to: to, operator: "tess", idempotencyKey: key)
        }
        let other = try await service.send(
            invoiceNumber: "1043", amount: nil, to: to, operator: "tess", idempotencyKey: try IdempotencyKey("tap-2"))
        #expect(other.id != first.id && other.reference != first.reference)
        await stripeServer.stop()
        await jobber.stop()
    }
}

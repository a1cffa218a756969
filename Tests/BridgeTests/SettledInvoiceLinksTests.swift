import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import Ledger
import Logging
import PosPlusCore
import Testing

/// A customer must not be able to pay twice through an old link: once the counter takes the
/// balance, the invoice's open links are deactivated at Stripe and closed in the ledger. Every
/// part is real: the Jobber and PAX simulators (the charge), the Stripe simulator (the links),
/// the ledger file and the outbox worker.
@Suite("Payment links stop when the invoice is paid", .timeLimit(.minutes(1)))
struct SettledInvoiceLinksTests {
    @Test func counterPaymentsCloseTheLinksThatWouldNowOverpay() async throws {
        let h = try await PaymentServiceTests.Harness.start()
        let stripe = StripeSimulator()
        let server = try await stripe.start()
        let gateway = StripeGateway(
            client: StripeClient(
                configuration: StripeConfiguration(baseURL: server.baseURL, secretKey: Secret("sk_test_t")),
                http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))))
        let invoice = try await h.jobber.invoices.invoice(number: "1044")
        func link(_ cents: Int64, invoiceID: String) async throws -> PaymentLinkRecord {
            var generator = SystemRandomNumberGenerator()
            let reference = PaymentReference.random(using: &generator)
            let amount = Money(minorUnits: cents, currency: .usd)
            let created = try await gateway.createLink(
                PaymentLinkRequest(amount: amount, description: "Invoice", invoiceID: invoiceID, reference: reference.rawValue),
                idempotencyKey: reference.rawValue)
            return try h.ledger.recordLink(
                NewPaymentLink(
                    processor: "stripe", processorLinkID: created.id, url: created.url, invoiceID: invoiceID, invoiceNumber: "1044",
                    amount: amount, reference: reference),
                actor: "test")
        }
        let whole = try await link(8_999, invoiceID: invoice.id)
        let small = try await link(2_000, invoiceID: invoice.id)
        let elsewhere = try await link(500, invoiceID: "another-invoice")
        let worker = OutboxWorker(
            ledger: h.ledger,
            handlers: [
                SettledInvoiceLinks.kind: SettledInvoiceLinks.handler(ledger: h.ledger, invoices: h.jobber.invoices, gateway: gateway),
                JobberWriteBackJob.kind: { _ in },  // the note itself is tested elsewhere
            ],
            logger: Logger(label: "t"))

        // Part of it first: only a link asking for more than is left stops.
        let part = Money(minorUnits: 3_999, currency: .usd)
        _ = try await h.charge(.init(target: .invoiceNumber("1044"), amount: part, intent: .partial), key: "part")
        _ = try await worker.runDueJobs()
        #expect(try h.ledger.link(id: whole.id)?.state == .cancelled)
        #expect(try h.ledger.link(id: small.id)?.state == .open, "$20.00 still fits the $50.00 left")

        let rest = Money(minorUnits: 5_000, currency: .usd)
        let paid = try await h.charge(.init(target: .invoiceNumber("1044"), amount: rest, intent: .partial, splitTender: true), key: "rest")
        #expect(paid.state == .approved)
        #expect(try h.ledger.jobs().contains { $0.kind == SettledInvoiceLinks.kind })
        _ = try await worker.runDueJobs()

        #expect(try h.ledger.link(id: small.id)?.state == .cancelled)
        #expect(try h.ledger.link(id: elsewhere.id)?.state == .open, "another invoice's link is left alone")
        let refused = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, server.baseURL + "/_sim/payment_links/\(whole.processorLinkID)/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8)))
        #expect(refused.text.contains("payment_link_inactive"), "\(refused.text)")
        await server.stop()
        await h.stop()
    }
}

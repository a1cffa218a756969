import Bridge
import Foundation
import Gateway
import HTTPClient
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PosPlusCore
import Testing

/// The one payment path on a card-not-present processor: a card saved at Stripe charged and
/// refunded, a link payment refunded, a lost answer found by its reference — all through
/// `PaymentService` and `GatewayChannel`, against the Stripe simulator on a real port and the
/// ledger in a SQLite file.
@Suite("Payment service: the gateway channel", .timeLimit(.minutes(1)))
struct GatewayChannelTests {
    typealias Harness = StripeWebhookInboxTests.Harness

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    /// A card the client saved at Stripe (what a hosted field and a SetupIntent leave behind),
    /// kept on file in the ledger as the customer and payment method — nothing of the card.
    func savedStripeCard(_ h: Harness, _ payments: PaymentServiceTests.Harness, number: String = "4242424242424242") async throws -> Int64 {
        try await Self.saveStripeCard(
            number: number, gateway: h.gateway, simulatorURL: h.stripeServer.baseURL, secretKey: "sk_test_t", ledger: payments.ledger)
    }

    /// Saves test card `number` for Ada through the Stripe simulator at `simulatorURL`, as the
    /// hosted field would, and keeps it on file in `ledger`; returns its ledger id.
    static func saveStripeCard(
        number: String, gateway: StripeGateway<ContinuousClock>, simulatorURL: String, secretKey: String, ledger: Ledger
    ) async throws -> Int64 {
        let customer = try await gateway.createCustomer(
            GatewayCustomer(name: "Ada Lovelace", email: nil, jobberClientID: Seed.IDs.ada.value), idempotencyKey: "cus-\(number)")
        let reply = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, simulatorURL + "/v1/payment_methods",
                headers: [("Authorization", "Bearer \(secretKey)"), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("type=card&card[number]=\(number)".utf8)))  // what Stripe's hosted field hands back
        let method = try #require(try JSONValue.parse(reply.body)["id"]?.string)
        // Fresh from the hosted field: keeping it saves it on the customer for off-session use.
        return try await GatewayCards(ledger: ledger, gateway: gateway).keep(
            StoredMethod(customer: customer, paymentMethod: method), forClient: Seed.IDs.ada.value, actor: "test"
        ).id
    }

    @Test func aCardSavedAtStripeIsChargedRefundedAndLookedUpThroughThePath() async throws {
        let h = try await Harness.start()
        let p = try await PaymentServiceTests.Harness.start()
        let stripe = GatewayChannel(name: "stripe", gateway: h.gateway)
        let card = try await savedStripeCard(h, p)

        let charged = try await p.service.charge(
            .init(target: .invoiceNumber("1044"), operation: .tokenSale, savedCardID: card), on: stripe, operator: "ada",
            idempotencyKey: try IdempotencyKey("stripe-card"))
        #expect(charged.state == .approved && charged.capturedMinor == 8_999 && charged.channel == "stripe")
        #expect(charged.processorReference?.hasPrefix("pi_") == true && charged.cardLast4 == "4242")
        #expect(try p.writeBacks().count == 1, "the Jobber note rides with the money, as at the counter")

        // The attempt's reference is in the processor's metadata: a lost answer is found by it.
        let attempt = try #require(try p.ledger.attempts(paymentID: charged.id).last)
        let found = try await stripe.lookup(try PaymentReference(attempt.reference), operation: .tokenSale)
        guard case .approved(let details) = found.result else { throw FoundError.notApproved("\(found)") }
        #expect(details.processorReference == charged.processorReference && details.captured == usd(8_999))
        #expect(try await stripe.lookup(try PaymentReference("PNOSUCHREF000001"), operation: .tokenSale).result == .notFound)

        // A captured card payment cannot be voided at Stripe: refused, nothing moved.
        await #expect(throws: PaymentChannelError.self) {
            try await p.service.reverse(
                paymentID: charged.id, .void, on: stripe, operator: "ada", idempotencyKey: try IdempotencyKey("stripe-void"))
        }
        #expect(try p.ledger.payment(id: charged.id)?.state == .approved)

        let refund = try await p.service.reverse(
            paymentID: charged.id, .refund(usd(3_000)), on: stripe, operator: "ada", idempotencyKey: try IdempotencyKey("stripe-r1"))
        #expect(refund.state == .approved && refund.capturedMinor == 3_000)
        #expect(try p.ledger.payment(id: charged.id)?.state == .partiallyRefunded)
        #expect(try await h.gateway.payment(charged.processorReference ?? "").refunded == usd(3_000))

        #expect(try p.ledger.verifyAuditChain().isIntact)
        await p.stop()
        await h.stop()
    }

    @Test func aDeclinedSavedCardIsRecordedDeclined() async throws {
        let h = try await Harness.start()
        let p = try await PaymentServiceTests.Harness.start()
        let card = try await savedStripeCard(h, p, number: "4000000000009995")  // insufficient funds when charged
        let declined = try await p.service.charge(
            .init(target: .invoiceNumber("1044"), operation: .tokenSale, savedCardID: card),
            on: GatewayChannel(name: "stripe", gateway: h.gateway), operator: "ada", idempotencyKey: try IdempotencyKey("stripe-nsf"))
        #expect(declined.state == .declined && declined.capturedMinor == 0)
        #expect(declined.message?.contains("Insufficient funds") == true, "\(declined.message ?? "")")
        #expect(try p.writeBacks().isEmpty)
        await p.stop()
        await h.stop()
    }

    /// A link payment could be neither refunded nor recovered: its channel was nobody's.
    @Test func aPaymentMadeThroughALinkIsRefundedOnThePath() async throws {
        let h = try await Harness.start()
        let (_, stripeLink) = try await h.link(cents: 8_999)
        let session = try await h.control("/_sim/payment_links/\(stripeLink)/pay", "card=4242424242424242")
        await h.processed(2)
        let intent = try #require(session["payment_intent"]?.string)
        let paid = try #require(try h.ledger.payment(processorReference: intent))
        #expect(paid.channel == GatewayChannel.linkChannelName(of: "stripe"))

        let jobber = try await SimulatedJobber.start()
        let service = PaymentService(
            ledger: h.ledger, check: ChargeCheck(invoices: jobber.invoices, rules: ChargeGuard()), logger: Logger(label: "t"))
        let refund = try await service.reverse(
            paymentID: paid.id, .refund(nil), on: GatewayChannel(name: paid.channel, gateway: h.gateway), operator: "ada",
            idempotencyKey: try IdempotencyKey("link-refund"))
        #expect(refund.state == .approved && refund.capturedMinor == 8_999)
        #expect(try h.ledger.payment(id: paid.id)?.state == .refunded)
        #expect(try await h.gateway.payment(intent).refundable == usd(0))
        await jobber.stop()
        await h.stop()
    }

    enum FoundError: Error { case notApproved(String) }
}

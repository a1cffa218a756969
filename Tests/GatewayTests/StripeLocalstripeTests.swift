import Foundation
import Gateway
import HTTPClient
import Logging
import PosPlusCore
import TestSupport
import Testing

/// The Stripe gateway's card flows against localstripe (a stateful fake from PyPI) on
/// 127.0.0.1: charge, partial and repeated refunds within
/// the ceiling, saved cards, an off-session decline, and Stripe-signed webhooks.
@Suite("Stripe gateway against localstripe", .serialized, .timeLimit(.minutes(1)))
struct StripeLocalstripeTests {
    func usd(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .usd) }

    @Test func aHostedCardIsChargedWithOurMetadata() async throws {
        let stripe = try LocalStripe()
        defer { stripe.stop() }
        let gateway = stripe.gateway()
        let card = try await stripe.hostedCard("4242424242424242")
        let outcome = await gateway.charge(
            GatewayChargeRequest(
                amount: usd(46_000), source: .hostedCard(paymentMethod: card), metadata: ["invoice": "1042", "reference": "P1"]),
            idempotencyKey: "P1")
        guard case .approved(let payment) = outcome else {
            Issue.record("expected approval, got \(outcome)")
            return
        }
        #expect(payment.status == .succeeded)
        #expect(payment.captured == usd(46_000))
        #expect(payment.metadata["invoice"] == "1042")
        #expect(payment.method == PaymentMethodSummary(kind: .card, label: "visa", last4: "4242"))
    }

    @Test func aChargeIsRefundedInPartsUpToWhatIsLeft() async throws {
        let stripe = try LocalStripe()
        defer { stripe.stop() }
        let gateway = stripe.gateway()
        let card = try await stripe.hostedCard("4242424242424242")
        guard
            case .approved(let taken) = await gateway.charge(
                GatewayChargeRequest(amount: usd(6_000), source: .hostedCard(paymentMethod: card)), idempotencyKey: "A1")
        else {
            Issue.record("the charge failed")
            return
        }
        #expect(taken.captured == usd(6_000))
        guard case .refunded(let first) = await gateway.refund(taken.id, amount: usd(1_000), idempotencyKey: "A1-r1") else {
            Issue.record("the first refund failed")
            return
        }
        #expect(first.amount == usd(1_000))
        guard case .refunded = await gateway.refund(taken.id, amount: usd(2_000), idempotencyKey: "A1-r2") else {
            Issue.record("the second refund failed")
            return
        }
        #expect(try await gateway.payment(taken.id).refundable == usd(3_000))
        #expect(
            await gateway.refund(taken.id, amount: usd(3_001), idempotencyKey: "A1-r3")
                == .rejected(.refundExceedsRemaining(requested: usd(3_001), remaining: usd(3_000))))
    }

    @Test func aSavedCardIsListedChargedOffSessionAndRemoved() async throws {
        let stripe = try LocalStripe()
        defer { stripe.stop() }
        let gateway = stripe.gateway()
        let customer = try await gateway.createCustomer(
            GatewayCustomer(name: "Ada Lovelace", email: "ada@example.com", jobberClientID: "Q2xpZW50LzE="), idempotencyKey: "C1")
        let card = try await stripe.hostedCard("4242424242424242")
        let saved = try await gateway.saveMethod(customer: customer, paymentMethod: card, acceptance: nil, idempotencyKey: "S1")
        #expect(saved.last4 == "4242")
        #expect(try await gateway.savedMethods(customer: customer).map(\.id) == [saved.id])
        let outcome = await gateway.charge(
            GatewayChargeRequest(amount: usd(8_900), source: .savedCard(customer: customer, paymentMethod: saved.id)), idempotencyKey: "T1")
        guard case .approved(let payment) = outcome else {
            Issue.record("expected approval, got \(outcome)")
            return
        }
        #expect(payment.captured == usd(8_900))
        try await gateway.removeSavedMethod(saved.id)
        #expect(try await gateway.savedMethods(customer: customer).isEmpty)
    }

    @Test func anOffSessionDeclineIsAClearDeclineNotACrash() async throws {
        let stripe = try LocalStripe()
        defer { stripe.stop() }
        let gateway = stripe.gateway()
        let customer = try await gateway.createCustomer(
            GatewayCustomer(name: "Grace Hopper", email: nil, jobberClientID: "Q2xpZW50LzI="), idempotencyKey: "C2")
        let card = try await stripe.hostedCard("4000000000000341")  // attaches, then every charge fails
        let saved = try await gateway.saveMethod(customer: customer, paymentMethod: card, acceptance: nil, idempotencyKey: "S2")
        let outcome = await gateway.charge(
            GatewayChargeRequest(amount: usd(5_000), source: .savedCard(customer: customer, paymentMethod: saved.id)), idempotencyKey: "T2")
        guard case .declined(let decline) = outcome else {
            Issue.record("expected a decline, got \(outcome)")
            return
        }
        #expect(decline.reason == .cardDeclined(code: "card_declined"))
        #expect(decline.message == "Your card was declined.")
    }

    @Test func itsWebhooksVerifyWithStripesScheme() async throws {
        let stripe = try LocalStripe()
        defer { stripe.stop() }
        let (deliveries, deliver) = AsyncStream<LocalHTTPServer.Request>.makeStream()
        let receiver = try LocalHTTPServer { request in
            deliver.yield(request)
            return .respond(status: 200)
        }
        defer { receiver.stop() }
        try await stripe.sendWebhooks(to: receiver.baseURL + "/webhooks/stripe", secret: "whsec_posplus_test")
        let card = try await stripe.hostedCard("4242424242424242")
        _ = await stripe.gateway().charge(
            GatewayChargeRequest(amount: usd(1_234), source: .hostedCard(paymentMethod: card)), idempotencyKey: "W1")
        let verifier = StripeWebhookVerifier(endpointSecret: Secret("whsec_posplus_test"))
        let wrong = StripeWebhookVerifier(endpointSecret: Secret("whsec_other"))
        // localstripe delivers after it answers: wait for the deliveries themselves.
        for await delivery in deliveries {
            let signature = delivery.headers["stripe-signature"]
            let event = try verifier.verify(body: delivery.body, signature: signature)  // every delivery verifies
            #expect(throws: StripeWebhookError.noMatchingSignature) { try wrong.verify(body: delivery.body, signature: signature) }
            if event.type == "payment_intent.succeeded" {
                #expect(event.object["amount"]?.numberText == "1234")
                break
            }
        }
    }
}

import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import PosPlusCore
import TestSupport
import Testing

/// The Stripe gateway against the Stripe simulator, for what localstripe lacks: payment links,
/// ACH, idempotent replay, paging, Stripe's decline errors.
@Suite("Stripe gateway against the Stripe simulator", .timeLimit(.minutes(1)))
struct StripeSimulatorTests {
    func usd(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .usd) }

    @Test func aLinkIsPaidOnceAndCarriesOurInvoiceAndReference() async throws {
        let stripe = try await SimulatedStripe.start()
        let gateway = stripe.gateway()
        let link = try await gateway.createLink(
            PaymentLinkRequest(
                amount: usd(46_000), description: "Invoice #1042 — Maple & Pine", invoiceID: "SW52LzEwNDI=", invoiceNumber: "1042",
                reference: "L0000000000000A1"),
            idempotencyKey: "L0000000000000A1")
        #expect(link.active && link.url.hasSuffix("/pay/\(link.id)"))
        let session = try await stripe.control("/_sim/payment_links/\(link.id)/pay", "card=4242424242424242")
        #expect(session["payment_status"]?.string == "paid")
        let payment = try await gateway.payment(try #require(session["payment_intent"]?.string))
        #expect(payment.captured == usd(46_000))
        #expect(payment.metadata["posplus_reference"] == "L0000000000000A1")
        #expect(payment.metadata["jobber_invoice_number"] == "1042")
        let again = try await stripe.control("/_sim/payment_links/\(link.id)/pay", "card=4242424242424242")
        #expect(again["error"]?["code"]?.string == "payment_link_inactive")  // one completed payment per link
        await stripe.stop()
    }

    @Test func aLinkCanBeDeactivated() async throws {
        let stripe = try await SimulatedStripe.start()
        let gateway = stripe.gateway()
        let link = try await gateway.createLink(
            PaymentLinkRequest(amount: usd(500), description: "Deposit", quoteID: "Q77", reference: "L2"), idempotencyKey: "L2")
        try await gateway.deactivateLink(link.id, idempotencyKey: "L2-off")
        let refused = try await stripe.control("/_sim/payment_links/\(link.id)/pay", "card=4242424242424242")
        #expect(refused["error"]?["code"]?.string == "payment_link_inactive")
        #expect(try await gateway.payments(since: Date(timeIntervalSince1970: 0)).isEmpty)
        await stripe.stop()
    }

    @Test func aLostReplyRetriedWithTheSameKeyChargesExactlyOnce() async throws {
        let stripe = try await SimulatedStripe.start()
        // A margin a loaded machine cannot eat: the replayed reply must come within the timeout.
        let gateway = stripe.gateway(timeout: .seconds(1))
        let card = try await stripe.card("4242424242424242")
        stripe.simulator.delayNextReply(by: .seconds(3))  // the charge happens; its reply is lost
        let outcome = await gateway.charge(
            GatewayChargeRequest(amount: usd(12_345), source: .hostedCard(paymentMethod: card)), idempotencyKey: "P0000000000000C1")
        guard case .approved(let payment) = outcome else {
            Issue.record("the retry with the same key should find the charge, got \(outcome)")
            return
        }
        #expect(payment.captured == usd(12_345))
        #expect(stripe.simulator.paymentIntentCount == 1)
        let again = await gateway.charge(
            GatewayChargeRequest(amount: usd(12_345), source: .hostedCard(paymentMethod: card)), idempotencyKey: "P0000000000000C1")
        #expect(again == outcome)  // a later retry replays, never charges twice
        #expect(stripe.simulator.paymentIntentCount == 1)
        await stripe.stop()
    }

    @Test func theSameKeyWithDifferentParametersIsRefused() async throws {
        let stripe = try await SimulatedStripe.start()
        let gateway = stripe.gateway()
        let card = try await stripe.card("4242424242424242")
        _ = await gateway.charge(GatewayChargeRequest(amount: usd(100), source: .hostedCard(paymentMethod: card)), idempotencyKey: "K1")
        let second = await gateway.charge(
            GatewayChargeRequest(amount: usd(200), source: .hostedCard(paymentMethod: card)), idempotencyKey: "K1")
        guard case .rejected(.idempotencyConflict) = second else {
            Issue.record("expected an idempotency conflict, got \(second)")
            return
        }
        #expect(stripe.simulator.paymentIntentCount == 1)
        await stripe.stop()
    }

    @Test func aStored500IsReplayedAndTheOutcomeStaysUnknown() async throws {
        let stripe = try await SimulatedStripe.start()
        let gateway = stripe.gateway()
        let card = try await stripe.card("4242424242424242")
        stripe.simulator.failNextRequest(status: 500)
        let request = GatewayChargeRequest(amount: usd(700), source: .hostedCard(paymentMethod: card))
        guard case .unknown = await gateway.charge(request, idempotencyKey: "E1") else {
            Issue.record("a 500 after retries is unknown, not a decline")
            return
        }
        guard case .unknown = await gateway.charge(request, idempotencyKey: "E1") else {
            Issue.record("Stripe replays the stored 500 for the same key")
            return
        }
        #expect(stripe.simulator.paymentIntentCount == 0)
        await stripe.stop()
    }

    @Test(arguments: [
        ("4000000000009995", GatewayDecline.Reason.insufficientFunds), ("4000000000000069", .expiredCard),
        ("4000000000000127", .incorrectCVC), ("4000000000000002", .cardDeclined(code: "generic_decline")),
        ("4000000000009987", .cardDeclined(code: "lost_card")), ("4000000000000119", .processingError),
    ])
    func declinesAreTyped(card number: String, reason: GatewayDecline.Reason) async throws {
        let stripe = try await SimulatedStripe.start()
        let card = try await stripe.card(number)
        let outcome = await stripe.gateway().charge(
            GatewayChargeRequest(amount: usd(1_000), source: .hostedCard(paymentMethod: card)), idempotencyKey: "D-\(number)")
        guard case .declined(let decline) = outcome else {
            Issue.record("expected a decline, got \(outcome)")
            return
        }
        #expect(decline.reason == reason)
        #expect(decline.paymentID?.hasPrefix("pi_") == true)
        await stripe.stop()
    }

    @Test func anOffSessionChargeNeedingAuthenticationIsAClearDecline() async throws {
        let stripe = try await SimulatedStripe.start()
        let gateway = stripe.gateway()
        let customer = try await gateway.createCustomer(
            GatewayCustomer(name: "Ada", email: nil, jobberClientID: "c1"), idempotencyKey: "C1")
        let saved = try await gateway.saveMethod(
            customer: customer, paymentMethod: try await stripe.card("4000002760003184"), acceptance: nil, idempotencyKey: "S1")
        let outcome = await gateway.charge(
            GatewayChargeRequest(amount: usd(5_000), source: .savedCard(customer: customer, paymentMethod: saved.id)), idempotencyKey: "T1")
        guard case .declined(let decline) = outcome else {
            Issue.record("expected a decline, got \(outcome)")
            return
        }
        #expect(decline.reason == .authenticationRequired)
        #expect(decline.description.contains("send them a payment link"))
        await stripe.stop()
    }

    @Test func listsAreFollowedAcrossPages() async throws {
        let stripe = try await SimulatedStripe.start()
        let gateway = stripe.gateway(pageSize: 10)
        let card = try await stripe.card("4242424242424242")
        for n in 1...23 {
            _ = await gateway.charge(
                GatewayChargeRequest(amount: usd(Int64(n) * 100), source: .hostedCard(paymentMethod: card)), idempotencyKey: "PG\(n)")
        }
        let all = try await gateway.payments(since: Date(timeIntervalSince1970: 0))
        #expect(all.count == 23)
        #expect(Set(all.map(\.id)).count == 23)
        #expect(stripe.recorder.all.filter { $0.path == "/v1/payment_intents" && $0.method == "GET" }.count == 3)  // 10 + 10 + 3
        await stripe.stop()
    }

    /// reconcile's read: one paged list per kind, and a link made without PaymentIntent
    /// metadata still gives its payment our reference, through its Checkout Session.
    @Test func activityReadsEachListOnceAndTakesALinksReferenceFromItsSession() async throws {
        let stripe = try await SimulatedStripe.start()
        let gateway = stripe.gateway()
        let link = try await stripe.control(
            "/v1/payment_links",
            "line_items[0][quantity]=1&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=4200"
                + "&line_items[0][price_data][product_data][name]=Invoice&metadata[posplus_reference]=PSESSIONREF00001"
                + "&metadata[jobber_invoice_id]=inv-9")
        let linkID = try #require(link["id"]?.string)
        _ = try await stripe.control("/_sim/payment_links/\(linkID)/pay", "card=4242424242424242")
        let before = stripe.simulator.apiRequestCount
        let activity = try await gateway.activity(since: Date(timeIntervalSince1970: 0))
        let paid = try #require(activity.payments.first)
        #expect(paid.metadata["posplus_reference"] == "PSESSIONREF00001" && paid.metadata["jobber_invoice_id"] == "inv-9")
        #expect(activity.balance.count == 1 && activity.balance[0].fee == usd(152), "2.9% + 30¢ of $42.00")
        // intents, sessions, refunds, disputes, balance transactions, payouts, active links
        #expect(stripe.simulator.apiRequestCount - before == 7)
        await stripe.stop()
    }
}

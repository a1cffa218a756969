import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import PosPlusCore
import TestSupport
import Testing

/// ACH debits through the Stripe simulator: pending until the bank answers (days, at Stripe),
/// then succeeded or failed, and a return after success, each announced by a signed event.
@Suite("Stripe ACH debits and their events", .timeLimit(.minutes(1)))
struct StripeACHTests {
    func usd(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .usd) }

    static let acceptance = MandateAcceptance(
        ipAddress: "203.0.113.7", userAgent: "posplus front desk", acceptedAt: Date(timeIntervalSince1970: 1_795_000_000))

    /// A receiver that verifies each event as posplus's endpoint will. The simulator sends
    /// an event before it answers the call that caused it, so after the call it is here.
    struct Receiver {
        let server: LocalHTTPServer
        private let received = Locked<[StripeEvent]>([])

        init(secret: String) throws {
            let verifier = StripeWebhookVerifier(endpointSecret: Secret(secret))
            let received = self.received
            server = try LocalHTTPServer { request in
                guard let event = try? verifier.verify(body: request.body, signature: request.headers["stripe-signature"]) else {
                    return .respond(status: 400)
                }
                received.mutate { $0.append(event) }
                return .respond(status: 200)
            }
        }

        func last(_ type: String) -> StripeEvent? { received.value.last { $0.type == type } }
    }

    func debit(_ stripe: SimulatedStripe, account: String, key: String) async throws -> GatewayOutcome {
        let (customer, method, mandate) = try await stripe.savedBankAccount(account, acceptance: Self.acceptance)
        return await stripe.gateway().charge(
            GatewayChargeRequest(amount: usd(25_000), source: .bankAccount(customer: customer, paymentMethod: method, mandate: mandate)),
            idempotencyKey: key)
    }

    @Test func aDebitIsPendingUntilTheBankSaysSucceeded() async throws {
        let stripe = try await SimulatedStripe.start()
        let receiver = try Receiver(secret: stripe.simulator.webhookSecret)
        stripe.simulator.setWebhookURL(receiver.server.baseURL + "/webhooks/stripe")
        guard case .pending(let pending) = try await debit(stripe, account: "000123456789", key: "ACH1") else {
            Issue.record("an ACH debit must stay pending")
            return
        }
        #expect(pending.status == .processing)
        #expect(pending.method == PaymentMethodSummary(kind: .bankAccount, label: "STRIPE TEST BANK", last4: "6789"))
        #expect(receiver.last("payment_intent.processing")?.object["id"]?.string == pending.id)
        try await stripe.control("/_sim/payment_intents/\(pending.id)/settle", "")
        #expect(receiver.last("payment_intent.succeeded")?.object["id"]?.string == pending.id)
        let settled = try await stripe.gateway().payment(pending.id)
        #expect(settled.status == .succeeded && settled.captured == usd(25_000))
        receiver.server.stop()
        await stripe.stop()
    }

    @Test func aDebitTheBankRefusesFailsWithItsCode() async throws {
        let stripe = try await SimulatedStripe.start()
        let receiver = try Receiver(secret: stripe.simulator.webhookSecret)
        stripe.simulator.setWebhookURL(receiver.server.baseURL + "/webhooks/stripe")
        guard case .pending(let pending) = try await debit(stripe, account: "000222222227", key: "ACH2") else {
            Issue.record("an ACH debit must stay pending")
            return
        }
        try await stripe.control("/_sim/payment_intents/\(pending.id)/settle", "")
        let failed = receiver.last("payment_intent.payment_failed")
        #expect(failed?.object["last_payment_error"]?["code"]?.string == "insufficient_funds")
        #expect(try await stripe.gateway().payment(pending.id).status == .requiresPaymentMethod)
        receiver.server.stop()
        await stripe.stop()
    }

    @Test func aReturnAfterSuccessArrivesAsAChargeFailure() async throws {
        let stripe = try await SimulatedStripe.start()
        let receiver = try Receiver(secret: stripe.simulator.webhookSecret)
        stripe.simulator.setWebhookURL(receiver.server.baseURL + "/webhooks/stripe")
        guard case .pending(let pending) = try await debit(stripe, account: "000123456789", key: "ACH3") else {
            Issue.record("an ACH debit must stay pending")
            return
        }
        try await stripe.control("/_sim/payment_intents/\(pending.id)/settle", "outcome=succeeded")
        try await stripe.control("/_sim/payment_intents/\(pending.id)/settle", "outcome=returned")
        let returned = receiver.last("charge.failed")
        #expect(returned?.object["payment_intent"]?.string == pending.id)
        #expect(returned?.object["failure_code"]?.string == "insufficient_funds")
        receiver.server.stop()
        await stripe.stop()
    }
}

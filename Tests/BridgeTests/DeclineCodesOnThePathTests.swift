import Bridge
import Foundation
import Ledger
import PAXSimulator
import PosPlusCore
import Receivables
import Testing

/// A decline's codes travel from the processor to the ledger and back into the recovery plan:
/// the Stripe simulator over HTTP and the PAX simulator over TCP, the real channels, the one
/// payment path and the ledger in a SQLite file. The words alone could not do this: Stripe
/// words a stolen card as the plain "Your card was declined.".
@Suite("Declines keep their codes on the way to the plan", .timeLimit(.minutes(1)))
struct DeclineCodesOnThePathTests {
    typealias Stripe = StripeWebhookInboxTests.Harness
    typealias Counter = PaymentServiceTests.Harness

    func rules() throws -> RetryRules {
        try RetryRules(
            retryDays: [1, 3, 5], window: LocalTimeWindow(parsing: "09:00-18:00"), timeZone: TimeZone(identifier: "UTC")!,
            emailAfterDays: 2)
    }

    /// The plan `posplus declines plan` prints, built from what the ledger kept.
    func plan(_ payment: PaymentRecord, in ledger: Ledger) throws -> DeclinePlan {
        let evidence = try #require(DeclineEvidence(payment: payment, attempts: try ledger.attempts(paymentID: payment.id)))
        return DeclinePlan.propose(for: evidence, declinedAt: payment.updatedAt, rules: try rules())
    }

    func declinedSavedCard(number: String, key: String) async throws -> (PaymentRecord, Counter, Stripe) {
        let stripe = try await Stripe.start()
        let counter = try await Counter.start()
        let card = try await GatewayChannelTests().savedStripeCard(stripe, counter, number: number)
        let payment = try await counter.service.charge(
            .init(target: .invoiceNumber("1044"), operation: .tokenSale, savedCardID: card),
            on: GatewayChannel(name: "stripe", gateway: stripe.gateway), operator: "ada", idempotencyKey: try IdempotencyKey(key))
        return (payment, counter, stripe)
    }

    @Test func aStolenCardAtStripeIsHardWithItsReasonAndNeverChargedAgain() async throws {
        let (payment, counter, stripe) = try await declinedSavedCard(number: "4000000000009979", key: "stolen")
        #expect(payment.state == .declined && payment.message == "Your card was declined.")
        let attempt = try #require(try counter.ledger.attempts(paymentID: payment.id).last)
        #expect(attempt.gatewayCode == "card_declined" && attempt.gatewayDeclineCode == "stolen_card")

        let plan = try plan(payment, in: counter.ledger)
        #expect(plan.classification.reason == .lostOrStolen && plan.classification.severity == .hard)
        #expect(plan.classification.explanation.contains("stolen_card"), "\(plan.classification.explanation)")
        #expect(!plan.steps.contains { if case .chargeSavedCard = $0.action { true } else { false } })
        await counter.stop()
        await stripe.stop()
    }

    @Test func insufficientFundsAtStripeIsSoftAndTheSavedCardIsTriedAgain() async throws {
        let (payment, counter, stripe) = try await declinedSavedCard(number: "4000000000009995", key: "nsf")
        #expect(payment.state == .declined)
        let plan = try plan(payment, in: counter.ledger)
        #expect(plan.classification.reason == .insufficientFunds && plan.classification.severity == .soft)
        guard case .retry(_, 1, 3, _) = plan.decision else {
            Issue.record("expected the first of three retries, got \(plan.decision)")
            return
        }
        await counter.stop()
        await stripe.stop()
    }

    @Test func aTerminalDeclineKeepsTheHostsCode() async throws {
        let h = try await Counter.start()
        let declined = try await h.charge(
            .init(target: .invoiceNumber("1043"), amount: Money(minorUnits: 2_002, currency: .usd), intent: .partial), key: "invalid")
        #expect(declined.state == .declined)
        let attempt = try #require(try h.ledger.attempts(paymentID: declined.id).last)
        #expect(attempt.resultCode == "000100" && attempt.hostCode == "14")

        let plan = try plan(declined, in: h.ledger)
        #expect(plan.classification.reason == .invalidAccount && plan.classification.severity == .hard)
        #expect(plan.classification.evidence.contains("host code 14"), "\(plan.classification.evidence)")
        await h.stop()
    }

    @Test func aDuplicateAnswerAsksAPersonToCheckBeforeTheCustomerIsAskedAgain() async throws {
        let h = try await Counter.start()
        _ = h.terminal.terminal.plantApprovedSale(reference: "EARLIER000000001", cents: 8_999)
        h.terminal.inject(.duplicateTransaction)
        let answered = try await h.charge(.init(target: .invoiceNumber("1044")), key: "dup")
        #expect(answered.state == .declined && answered.capturedMinor == 0)
        #expect(try h.ledger.attempts(paymentID: answered.id).last?.resultCode == "100011")
        #expect(try h.writeBacks().isEmpty)

        let plan = try plan(answered, in: h.ledger)
        #expect(plan.classification.reason == .possibleDuplicate && plan.classification.severity == .checkFirst)
        guard case .checkBeforeAsking(let reason) = plan.decision else {
            Issue.record("expected a check before asking, got \(plan.decision)")
            return
        }
        #expect(reason.contains("Check the terminal's and the ledger's recent payments for this invoice"))
        #expect(!plan.steps.contains { if case .sendLink = $0.action { true } else { false } }, "never a link until a person checks")
        #expect(!plan.steps.contains { if case .chargeSavedCard = $0.action { true } else { false } })
        await h.stop()
    }
}

import Foundation
import Receivables
import Testing

@Suite struct DeclinePlanTests {
    let chicago = LocalClock("America/Chicago")

    @Test func aSoftSavedCardDeclinePlansEveryStepInLocalTime() throws {
        let rules = try chicago.rules()
        let evidence = DeclineEvidence.card(code: "card_declined", declineCode: "insufficient_funds", via: .savedCard)
        let plan = DeclinePlan.propose(for: evidence, declinedAt: chicago.at(2026, 4, 6, 20, 15), rules: rules)
        #expect(
            plan.lines(rules: rules) == [
                "Soft decline: not enough money in the account right now (Stripe (saved card) said insufficient_funds).",
                "Next: Soft decline: not enough money in the account right now (Stripe (saved card) said insufficient_funds). "
                    + "Try 1 of 3: 1 day after the decline, Tue 2026-04-07 09:00 America/Chicago, inside 09:00-18:00 local time.",
                "If nothing changes:",
                "  1. Mon 2026-04-06 20:15 America/Chicago: text the customer a payment link",
                "  2. Tue 2026-04-07 09:00 America/Chicago: charge the saved card again (try 1)",
                "  3. Wed 2026-04-08 09:00 America/Chicago: email the payment link",
                "  4. Thu 2026-04-09 09:00 America/Chicago: charge the saved card again (try 2)",
                "  5. Thu 2026-04-09 09:00 America/Chicago: a task for the office: call the customer",
                "  6. Sat 2026-04-11 09:00 America/Chicago: charge the saved card again (try 3)",
                "  7. Sat 2026-04-11 09:00 America/Chicago: text the customer a payment link",
                "The moment the invoice is paid or disputed, the rest is dropped.",
            ])
    }

    @Test func aPaidInvoiceHasNoSteps() throws {
        let evidence = DeclineEvidence.card(code: "card_declined", declineCode: "insufficient_funds", via: .savedCard)
        let plan = DeclinePlan.propose(for: evidence, declinedAt: .now, invoice: .paid, rules: try chicago.rules())
        #expect(plan.steps.isEmpty)
        #expect(plan.decision == .stop(reason: "The invoice is paid: nothing more to collect."))
    }
}

import Foundation
import Receivables
import Testing

/// POSLink 100011 DUP TRANSACTION is not a decline: the terminal matched an earlier
/// transaction, so the money may already be taken. Nothing may ask the customer again until a
/// person has looked.
@Suite struct DuplicateAnswerTests {
    let chicago = LocalClock("America/Chicago")
    var declinedAt: Date { chicago.at(2026, 4, 6, 10, 15) }

    @Test(arguments: [nil, "00", "05", "51"])
    func aDuplicateIsItsOwnClassWhateverHostCodeTheOriginalCarried(hostCode: String?) {
        let classified = DeclineClassifier.classify(.terminal(resultCode: "100011", message: "DUP TRANSACTION", hostCode: hostCode))
        #expect(classified.reason == .possibleDuplicate)
        #expect(classified.severity == .checkFirst)
        #expect(classified.explanation.hasPrefix("Possible duplicate, not a decline"))
    }

    @Test func thePlanIsACheckByAPersonNeverARetryOrALink() throws {
        let rules = try chicago.rules()
        let plan = DeclinePlan.propose(
            for: .terminal(resultCode: "100011", message: "DUP TRANSACTION", hostCode: "00"), declinedAt: declinedAt, rules: rules)
        guard case .checkBeforeAsking(let reason) = plan.decision else {
            Issue.record("expected a check before asking, got \(plan.decision)")
            return
        }
        #expect(reason.contains("Check the terminal's and the ledger's recent payments for this invoice before asking"))
        let actions = plan.steps.map(\.action)
        #expect(actions.count == 2)
        #expect(actions.first == .createOfficeTask(reason: reason))
        #expect(actions.allSatisfy { if case .sendLink = $0 { false } else if case .chargeSavedCard = $0 { false } else { true } })
        #expect(plan.lines(rules: rules).contains { $0.contains("a task for the office") })
    }

    @Test func aDuplicateNeverRetriesEvenOnASavedCard() throws {
        let rules = try chicago.rules()
        let classified = DeclineClassification(reason: .possibleDuplicate, evidence: "100011", source: "the terminal")
        let decision = RetryPolicy(rules: rules).decide(
            classified, onSavedCard: true, declinedAt: declinedAt, failedRetries: 0, invoice: .open)
        guard case .checkBeforeAsking = decision else {
            Issue.record("expected a check before asking, got \(decision)")
            return
        }
        #expect(
            RetryPolicy(rules: rules).decide(classified, onSavedCard: true, declinedAt: declinedAt, failedRetries: 0, invoice: .paid)
                == .stop(reason: "The invoice is paid: nothing more to collect."))
    }
}

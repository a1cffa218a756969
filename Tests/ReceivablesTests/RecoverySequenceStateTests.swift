import Foundation
import Receivables
import Testing

/// The sequence as its owner keeps it between events (in the ledger) and what a person's "no"
/// to a retry does.
@Suite struct RecoverySequenceStateTests {
    let chicago = LocalClock("America/Chicago")

    func sequence() throws -> RecoverySequence {
        RecoverySequence(policy: RetryPolicy(rules: try chicago.rules()))
    }

    @Test func aStoredStateCarriesOnExactlyWhereItStopped() throws {
        var machine = try sequence()
        _ = machine.handle(.declined(insufficientFunds, onSavedCard: true, at: chicago.at(2026, 4, 6, 11, 0)))
        _ = machine.handle(.tick(chicago.at(2026, 4, 7, 11, 0)))
        let stored = try JSONEncoder().encode(machine.state)

        var carriedOn = RecoverySequence(
            policy: RetryPolicy(rules: try chicago.rules()), state: try JSONDecoder().decode(RecoverySequence.State.self, from: stored))
        #expect(carriedOn.state == machine.state && carriedOn.nextWakeUp == machine.nextWakeUp)
        let later = chicago.at(2026, 4, 8, 11, 0)
        #expect(carriedOn.handle(.tick(later)) == machine.handle(.tick(later)))
    }

    @Test func aWithdrawnRetryMeansALinkNoMoreTriesAndTheOfficeAfterTheEmail() throws {
        var machine = try sequence()
        _ = machine.handle(.declined(insufficientFunds, onSavedCard: true, at: chicago.at(2026, 4, 6, 11, 0)))
        #expect(machine.handle(.tick(chicago.at(2026, 4, 7, 11, 0))).count == 1)  // try 1, proposed
        let withdrawn = machine.handle(
            .retryWithdrawn(reason: "Meg chose not to charge the saved card again.", at: chicago.at(2026, 4, 7, 12, 0)))
        guard case .sendLink(.sms, let reason)? = withdrawn.first, withdrawn.count == 1 else {
            Issue.record("expected one text, got \(withdrawn)")
            return
        }
        #expect(reason.hasPrefix("Meg chose not to charge"))
        // The email on day 2, the office two days after it, and never a charge.
        var actions: [RecoverySequence.Action] = []
        while let wake = machine.nextWakeUp { actions += machine.handle(.tick(wake)) }
        #expect(actions.count == 2)
        #expect(!actions.contains { if case .chargeSavedCard = $0 { true } else { false } })
        guard case .createOfficeTask = actions.last else {
            Issue.record("expected an office task last, got \(actions)")
            return
        }
        // Asked again, it changes nothing: no retry is waiting.
        #expect(machine.handle(.retryWithdrawn(reason: "again", at: chicago.at(2026, 4, 20, 12, 0))) == [])
    }

    @Test func aDeclinedPartPaidSinceEndsItThoughMoreIsOwed() throws {
        var machine = try sequence()
        _ = machine.handle(.declined(insufficientFunds, onSavedCard: true, at: chicago.at(2026, 4, 6, 11, 0)))
        let ended = machine.handle(.declinedAmountPaid(at: chicago.at(2026, 4, 6, 15, 0)))
        #expect(ended.count == 1 && machine.isFinished && machine.nextWakeUp == nil)
        #expect(machine.handle(.tick(chicago.at(2026, 4, 7, 11, 0))) == [])
    }
}

import Foundation
import Receivables
import Testing

/// The measured figures of issue 13 part 7: the policy against "no retry" and "retry daily" on
/// a generated year. The history is a model (see `DeclineHistory`), so these figures say how
/// the rules behave under its assumptions, not what a real business will see.
@Suite struct RecoveryMeasurementTests {
    let chicago = LocalClock("America/Chicago")

    @Test func theSameSeedGivesTheSameYear() {
        let zone = chicago.zone
        #expect(DeclineHistory.generate(seed: 13, timeZone: zone) == DeclineHistory.generate(seed: 13, timeZone: zone))
        #expect(DeclineHistory.generate(seed: 13, timeZone: zone) != DeclineHistory.generate(seed: 14, timeZone: zone))
    }

    @Test func theGeneratedYearLooksLikeItsAssumptions() {
        let history = DeclineHistory.generate(seed: 13, timeZone: chicago.zone)
        #expect(history.count == 240)
        #expect(history.allSatisfy { (4_000...150_000).contains($0.amountMinor) })
        #expect(history.allSatisfy { $0.truth.severity == .soft || $0.sameCardRecovers == nil })
        let unknown = history.filter { DeclineClassifier.classify($0.evidence).reason == .unknown }
        #expect((1...15).contains(unknown.count))
    }

    @Test(arguments: [13, 2026, 7] as [UInt64])
    func thePolicyRecoversMoreThanBothBaselinesAndNeverAtNight(seed: UInt64) throws {
        let history = DeclineHistory.generate(seed: seed, timeZone: chicago.zone)
        let evaluator = RecoveryEvaluator(rules: try chicago.rules())
        let policy = evaluator.policy(history)
        let none = evaluator.noRetry(history)
        let daily = evaluator.retryDaily(history)
        print("seed \(seed)\n  \(policy)\n  \(none)\n  \(daily)")

        let declined = history.reduce(Int64(0)) { $0 + $1.amountMinor }
        #expect([policy, none, daily].allSatisfy { $0.declinedMinor == declined })
        #expect(policy.recoveredMinor > none.recoveredMinor)
        #expect(policy.recoveredMinor > daily.recoveredMinor)
        #expect(policy.nightTries == 0)
        #expect(policy.hardDeclineTries == 0)
        #expect(daily.tries >= policy.tries)
        #expect(daily.hardDeclineTries > 0)
        #expect(none.tries == 0)
    }

    @Test func theRateIsExactIntegerArithmetic() {
        var outcome = StrategyOutcome(name: "x")
        outcome.declinedMinor = 30_000
        outcome.recoveredByLinkMinor = 10_000
        #expect(outcome.rateBasisPoints == 3_333)
        #expect(
            outcome.description
                == "x: recovered $100.00 of $300.00 (33.33%; retry $0.00, link $100.00); 0 tries, 0 at night, 0 on hard declines")
    }
}

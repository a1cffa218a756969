import Foundation

/// How one strategy did on a history: money in exact cents, and what it cost the customers.
public struct StrategyOutcome: Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var declinedMinor: Int64 = 0
    public var recoveredByRetryMinor: Int64 = 0
    public var recoveredByLinkMinor: Int64 = 0
    /// Same-card charges made after the first decline.
    public var tries = 0
    /// Of those, made outside the business's daytime window (local time).
    public var nightTries = 0
    /// Of those, on a card that was hard-declined: fees and distrust for nothing.
    public var hardDeclineTries = 0

    public init(name: String) { self.name = name }

    public var recoveredMinor: Int64 { recoveredByRetryMinor + recoveredByLinkMinor }

    /// Recovered money / declined money, in hundredths of a percent, rounded down (exact
    /// integer arithmetic: the figures compare without floating point).
    public var rateBasisPoints: Int64 { declinedMinor == 0 ? 0 : recoveredMinor * 10_000 / declinedMinor }

    public var description: String {
        let points = rateBasisPoints
        let rate = "\(points / 100).\(points % 100 < 10 ? "0" : "")\(points % 100)%"
        return "\(name): recovered \(cents(recoveredMinor)) of \(cents(declinedMinor)) (\(rate); retry \(cents(recoveredByRetryMinor)), "
            + "link \(cents(recoveredByLinkMinor))); \(tries) tries, \(nightTries) at night, \(hardDeclineTries) on hard declines"
    }

    private func cents(_ minor: Int64) -> String {
        "$\(minor / 100).\(minor % 100 < 10 ? "0" : "")\(minor % 100)"
    }
}

/// Replays a generated history under the policy and two baselines.
///
/// The three get the same payment link at the decline and the same customers (who pay through
/// it on their hidden day), so they differ only in how they retry the saved card:
/// - **policy**: ``RecoverySequence`` with ``RetryPolicy`` and the given rules, driven by its
///   own `nextWakeUp`, exactly as the service would drive it;
/// - **no retry**: the link only;
/// - **retry daily**: the naive rule: every 24 hours after the decline, whatever the class and
///   the hour, with the *same number of tries* as the policy, so the comparison is of spacing
///   and judgement, not of effort.
/// Anything not recovered within `horizonDays` is counted as lost.
public struct RecoveryEvaluator: Sendable {
    public var rules: RetryRules
    public var horizonDays = 30

    public init(rules: RetryRules) { self.rules = rules }

    public func policy(_ history: [SimulatedDecline]) -> StrategyOutcome {
        var outcome = StrategyOutcome(name: "policy")
        for decline in history { replayPolicy(decline, into: &outcome) }
        return outcome
    }

    public func noRetry(_ history: [SimulatedDecline]) -> StrategyOutcome {
        var outcome = StrategyOutcome(name: "no retry")
        for decline in history {
            outcome.declinedMinor += decline.amountMinor
            if linkPaidAt(decline) != nil { outcome.recoveredByLinkMinor += decline.amountMinor }
        }
        return outcome
    }

    public func retryDaily(_ history: [SimulatedDecline]) -> StrategyOutcome {
        var outcome = StrategyOutcome(name: "retry daily")
        for decline in history {
            outcome.declinedMinor += decline.amountMinor
            let paidAt = linkPaidAt(decline)
            var recovered = false
            if decline.evidence.isRetryable {
                for number in stride(from: 1, through: rules.maximumRetries, by: 1) {
                    let at = decline.declinedAt.addingTimeInterval(TimeInterval(number * 86_400))
                    if let paidAt, paidAt <= at { break }
                    count(try: at, decline, into: &outcome)
                    if decline.sameCardSucceeds(onDay: rules.localDays(from: decline.declinedAt, to: at)) {
                        outcome.recoveredByRetryMinor += decline.amountMinor
                        recovered = true
                        break
                    }
                }
            }
            if !recovered, paidAt != nil { outcome.recoveredByLinkMinor += decline.amountMinor }
        }
        return outcome
    }

    private func replayPolicy(_ decline: SimulatedDecline, into outcome: inout StrategyOutcome) {
        outcome.declinedMinor += decline.amountMinor
        let classification = DeclineClassifier.classify(decline.evidence)
        var machine = RecoverySequence(policy: RetryPolicy(rules: rules))
        _ = machine.handle(.declined(classification, onSavedCard: decline.evidence.isRetryable, at: decline.declinedAt))
        let horizon = decline.declinedAt.addingTimeInterval(TimeInterval(horizonDays * 86_400))
        let paidAt = linkPaidAt(decline)
        while !machine.isFinished, let wake = machine.nextWakeUp, wake < horizon {
            if let paidAt, paidAt <= wake { break }
            for action in machine.handle(.tick(wake)) {
                guard case .chargeSavedCard = action else { continue }
                count(try: wake, decline, into: &outcome)
                if decline.sameCardSucceeds(onDay: rules.localDays(from: decline.declinedAt, to: wake)) {
                    _ = machine.handle(.retryApproved(at: wake))
                    outcome.recoveredByRetryMinor += decline.amountMinor
                } else {
                    _ = machine.handle(.retryDeclined(classification, at: wake))
                }
            }
        }
        if !machine.isFinished, let paidAt {
            _ = machine.handle(.invoicePaid(at: paidAt))
            outcome.recoveredByLinkMinor += decline.amountMinor
        }
    }

    private func count(try at: Date, _ decline: SimulatedDecline, into outcome: inout StrategyOutcome) {
        outcome.tries += 1
        if !rules.isDaytime(at) { outcome.nightTries += 1 }
        if decline.truth.severity == .hard { outcome.hardDeclineTries += 1 }
    }

    /// When the customer pays through the link: an hour after the decline's time on their
    /// hidden day (nil if never, or after the horizon).
    func linkPaidAt(_ decline: SimulatedDecline) -> Date? {
        guard let day = decline.paysByLinkOnDay, day < horizonDays else { return nil }
        let calendar = rules.calendar
        return calendar.date(byAdding: .hour, value: 1, to: calendar.date(byAdding: .day, value: day, to: decline.declinedAt)!)
    }
}

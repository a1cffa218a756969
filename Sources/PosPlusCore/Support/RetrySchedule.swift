/// When to try a failed piece of background work again: exponential backoff with full
/// jitter, capped, and a limit after which the work is parked for a person to look at.
///
/// Pure: the random source is passed in, so a test can fix it and know the exact delays.
public struct RetrySchedule: Equatable, Sendable {
    /// Delay before the second attempt.
    public var initialDelay: Duration
    /// No delay exceeds this.
    public var maximumDelay: Duration
    /// After this many attempts in all, stop retrying.
    public var maximumAttempts: Int

    public init(initialDelay: Duration = .seconds(5), maximumDelay: Duration = .seconds(3600), maximumAttempts: Int = 12) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
    }

    /// The delay after attempt number `attempt` (1 for the first) failed, or `nil` when no
    /// attempt is left. Full jitter: uniformly between half the backoff and the backoff,
    /// so many failed jobs do not all retry in the same second.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration? {
        guard attempt < maximumAttempts else { return nil }
        let exponent = min(max(attempt - 1, 0), 30)
        let initial = initialDelay.wholeMilliseconds
        let capMillis = maximumDelay.components.seconds * 1000
        let (scaled, overflow) = initial.multipliedReportingOverflow(by: Int64(1) << exponent)
        let backoff = overflow ? capMillis : min(scaled, capMillis)
        // Scale one random word onto [backoff/2, backoff] with integer maths: no rejection
        // loop, so any generator (even a constant one in a test) gives an answer at once.
        let spread = UInt64(backoff - backoff / 2)
        let offset = (spread.multipliedFullWidth(by: generator.next()).high)
        return .milliseconds(backoff / 2 + Int64(offset))
    }
}

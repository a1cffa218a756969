import PosPlusCore

/// A client-side copy of Jobber's query-cost leaky bucket (10,000 points, refilling at 500/s),
/// corrected by every reply's `extensions.cost.throttleStatus`, so posplus waits *before*
/// sending a query Jobber would refuse instead of after.
public struct QueryCostBucket<C: Clock<Duration>>: Sendable {
    public private(set) var maximum: Double
    public private(set) var restoreRate: Double
    private var available: Double
    private var measuredAt: C.Instant
    private let clock: C

    public init(clock: C, maximum: Double = 10_000, restoreRate: Double = 500) {
        self.clock = clock
        self.maximum = maximum
        self.restoreRate = restoreRate
        self.available = maximum
        self.measuredAt = clock.now
    }

    /// Points available now, counting the refill since the last reading.
    public var currentlyAvailable: Double {
        min(maximum, available + measuredAt.duration(to: clock.now).timeInterval * restoreRate)
    }

    /// Points waited for beyond a query's cost: Jobber reports whole points rounded down and
    /// refills by elapsed time in floating point, so a wait for exactly the cost can end a
    /// hair short and be refused again.
    public static var headroom: Double { 1 }

    /// How long to wait before a query of `cost` points fits (with ``headroom``).
    public func waitTime(for cost: Double) -> Duration {
        let missing = min(cost + Self.headroom, maximum) - currentlyAvailable
        return missing <= 0 ? .zero : .milliseconds(Int64((missing / restoreRate * 1000).rounded(.up)))
    }

    /// Takes the points of a query about to be sent.
    public mutating func spend(_ cost: Double) {
        available = currentlyAvailable - cost
        measuredAt = clock.now
    }

    /// Adopts what Jobber reported (it knows best).
    public mutating func update(available: Double, maximum: Double, restoreRate: Double) {
        self.maximum = maximum
        self.restoreRate = max(restoreRate, 1)
        self.available = available
        measuredAt = clock.now
    }
}

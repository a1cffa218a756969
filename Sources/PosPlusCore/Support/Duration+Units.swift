/// `Duration` in the units the system calls want (poll milliseconds, `Date` intervals,
/// benchmark microseconds), converted in one place instead of by hand at every call.
extension Duration {
    /// Seconds as a floating-point interval, for `Date` arithmetic and sleeps (never money).
    public var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded down.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Whole microseconds, rounded down.
    public var wholeMicroseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}

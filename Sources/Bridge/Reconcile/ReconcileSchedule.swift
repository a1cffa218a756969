import Foundation
import PosPlusCore

/// When `posplus serve` reconciles: every `every`, counted from `at` local time in the
/// business's time zone ("daily at 06:00" by default, before the office opens). Pure: the next
/// run follows from the wall time alone, so a test needs no real clock.
public struct ReconcileSchedule: Sendable, Equatable {
    public var every: Duration
    public var at: TimeOfDay
    public var timeZone: TimeZone

    public init(every: Duration, at: TimeOfDay, timeZone: TimeZone) {
        self.every = every
        self.at = at
        self.timeZone = timeZone
    }

    public init(_ settings: ReconcileSettings) {
        self.init(every: settings.every, at: settings.at, timeZone: settings.timeZone)
    }

    /// The first run strictly after `now`.
    public func next(after now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = calendar.startOfDay(for: now)
        // A time skipped by a daylight-saving change falls back to the start of that day.
        let anchor = calendar.date(bySettingHour: at.hour, minute: at.minute, second: 0, of: day) ?? day
        let step = max(every.timeInterval, 60)
        let steps = (now.timeIntervalSince(anchor) / step).rounded(.down) + 1
        return anchor.addingTimeInterval(steps * step)
    }
}

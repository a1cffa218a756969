import Foundation

/// The numbers of the decline-recovery policy, checked once when built.
///
/// The try count is the length of `retryDays` (1, 3, 5 means at most three retries), so a
/// schedule and a separate maximum can never disagree.
public struct RetryRules: Equatable, Sendable {
    /// Local calendar days after the decline of each retry, strictly increasing (1, 3, 5).
    public private(set) var retryDays: [Int]
    /// When in the local day a retry or a message may happen: never at night.
    public private(set) var window: LocalTimeWindow
    /// The business's time zone: what "day" and "night" mean.
    public private(set) var timeZone: TimeZone
    /// Days after the first link (SMS) before the email follows, if still unpaid.
    public private(set) var emailAfterDays: Int

    /// The longest schedule accepted: card networks count retries over 30 days (Visa allows 15
    /// re-attempts in 30 days), and a decline older than a month is a collections matter.
    public static let latestRetryDay = 30
    public static let mostRetries = 8

    public static let standard = try! RetryRules(
        retryDays: [1, 3, 5], window: LocalTimeWindow(startHour: 9, startMinute: 0, endHour: 18, endMinute: 0),
        timeZone: TimeZone(identifier: "UTC")!, emailAfterDays: 2)

    public init(retryDays: [Int], window: LocalTimeWindow, timeZone: TimeZone, emailAfterDays: Int) throws(RetryRulesError) {
        guard retryDays.count <= Self.mostRetries else { throw .tooManyRetries(retryDays.count, limit: Self.mostRetries) }
        for (index, day) in retryDays.enumerated() {
            guard (1...Self.latestRetryDay).contains(day) else { throw .retryDayOutOfRange(day, limit: Self.latestRetryDay) }
            if index > 0, day <= retryDays[index - 1] { throw .retryDaysNotIncreasing(retryDays) }
        }
        guard (1...Self.latestRetryDay).contains(emailAfterDays) else {
            throw .emailAfterDaysOutOfRange(emailAfterDays, limit: Self.latestRetryDay)
        }
        self.retryDays = retryDays
        self.window = window
        self.timeZone = timeZone
        self.emailAfterDays = emailAfterDays
    }

    public var maximumRetries: Int { retryDays.count }

    /// The rules with another time zone (the business's, from `reconcile.time_zone`).
    public func inTimeZone(_ zone: TimeZone) -> RetryRules {
        var copy = self
        copy.timeZone = zone
        return copy
    }

    /// The calendar all local reasoning uses: Gregorian in the business's zone.
    var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The first moment inside the window on the local day `days` after `start`'s local day,
    /// keeping `start`'s local time of day when it is inside the window, else the window's
    /// opening. Calendar arithmetic, not `86_400 × days`: across a DST change a day is 23 or 25
    /// hours, and 17:30 must stay 17:30, not become 18:30 and fall outside the window.
    func placed(daysAfter days: Int, _ start: Date) -> Date {
        let calendar = self.calendar
        let day = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: start))!
        let parts = calendar.dateComponents([.hour, .minute], from: start)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let chosen = window.contains(minuteOfDay: minute) ? minute : window.startMinute
        return calendar.date(bySettingHour: chosen / 60, minute: chosen % 60, second: 0, of: day) ?? day
    }

    /// Whether a moment is inside the window, in local time.
    /// `date` inside the window, else when it next opens: what a step due at night waits for.
    public func nextDaytime(atOrAfter date: Date) -> Date { window.nextOpening(atOrAfter: date, in: calendar) }

    public func isDaytime(_ date: Date) -> Bool {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return window.contains(minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    /// Local calendar days from `start` to `date` (0 on the same local day).
    public func localDays(from start: Date, to date: Date) -> Int {
        let calendar = self.calendar
        return calendar.dateComponents([.day], from: calendar.startOfDay(for: start), to: calendar.startOfDay(for: date)).day ?? 0
    }
}

/// Why a set of rules was refused; each says what to write instead.
public enum RetryRulesError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooManyRetries(Int, limit: Int)
    case retryDayOutOfRange(Int, limit: Int)
    case retryDaysNotIncreasing([Int])
    case emailAfterDaysOutOfRange(Int, limit: Int)
    case windowEmpty(String)
    case windowUnreadable(String)

    public var description: String {
        switch self {
        case .tooManyRetries(let count, let limit): return "\(count) retries is more than the \(limit) allowed"
        case .retryDayOutOfRange(let day, let limit): return "day \(day) is outside 1 to \(limit)"
        case .retryDaysNotIncreasing(let days):
            return "\(days.map(String.init).joined(separator: ",")) must go up, each day later than the one before (like 1,3,5)"
        case .emailAfterDaysOutOfRange(let days, let limit): return "\(days) days is outside 1 to \(limit)"
        case .windowEmpty(let text): return "\(text): the window must end after it starts, within one day, like 09:00-18:00"
        case .windowUnreadable(let text): return "\"\(text)\" is not a window like 09:00-18:00"
        }
    }
}

import Foundation
import PosPlusCore

/// When an unpaid invoice is reminded (issue 13, part 6), as rules a manager reads in config:
/// on which days around its due date, inside which local hours, and up to which amount.
///
/// Pure, like ``RetryRules``: no clock is read, so the schedule for an invoice can be shown
/// (`posplus reminders plan`) and tested exactly as it will run.
public struct ReminderRules: Equatable, Sendable {
    /// Days relative to the due date: -3 is three days before, 0 the day it is due, 7 a week late.
    public private(set) var days: [Int]
    /// Local hours a customer may be messaged: outside them is quiet.
    public private(set) var window: LocalTimeWindow
    public private(set) var timeZone: TimeZone
    /// Only invoices whose balance is at most this are reminded on their own (the first phase:
    /// a large balance is a phone call, not a text).
    public private(set) var underOrAt: Money

    public static let earliestDay = -30
    public static let latestDay = 90
    public static let mostReminders = 8

    public static let standard = try! ReminderRules(
        days: [-3, 0, 7, 14], window: LocalTimeWindow(startHour: 9, startMinute: 0, endHour: 19, endMinute: 0),
        timeZone: TimeZone(identifier: "UTC")!, underOrAt: Money(minorUnits: 100_000, currency: .usd))

    public init(days: [Int], window: LocalTimeWindow, timeZone: TimeZone, underOrAt: Money) throws(ReminderRulesError) {
        guard !days.isEmpty, days.count <= Self.mostReminders else { throw .dayCount(days.count, limit: Self.mostReminders) }
        for (index, day) in days.enumerated() {
            guard (Self.earliestDay...Self.latestDay).contains(day) else { throw .dayOutOfRange(day) }
            if index > 0, day <= days[index - 1] { throw .daysNotIncreasing(days) }
        }
        guard underOrAt.isPositive else { throw .limitNotPositive(underOrAt) }
        self.days = days
        self.window = window
        self.timeZone = timeZone
        self.underOrAt = underOrAt
    }

    public func inTimeZone(_ zone: TimeZone) -> ReminderRules {
        var copy = self
        copy.timeZone = zone
        return copy
    }

    /// One reminder of an invoice's schedule: its number (1…), the day relative to the due date,
    /// and when it is sent.
    public struct Reminder: Equatable, Sendable {
        public var number: Int
        public var day: Int
        public var at: Date

        public init(number: Int, day: Int, at: Date) {
            self.number = number
            self.day = day
            self.at = at
        }

        /// "3 days before it is due", "the day it is due", "7 days after it was due".
        public var words: String {
            switch day {
            case ..<0: "\(-day) day\(day == -1 ? "" : "s") before it is due"
            case 0: "the day it is due"
            default: "\(day) day\(day == 1 ? "" : "s") after it was due"
            }
        }
    }

    /// The reminders still to come for an invoice due on `due` (its local day counts), each at
    /// the window's opening that day; those before `now` are dropped (an invoice created late
    /// does not get three reminders at once). Nil `due`: reminded from `now` as if due today.
    public func schedule(due: Date?, now: Date) -> [Reminder] {
        let calendar = self.calendar
        let dueDay = calendar.startOfDay(for: due ?? now)
        return days.enumerated().compactMap { index, day in
            guard let date = calendar.date(byAdding: .day, value: day, to: dueDay),
                let at = calendar.date(bySettingHour: window.startMinute / 60, minute: window.startMinute % 60, second: 0, of: date)
            else { return nil }
            // Today's reminder, if the window is still open, goes now rather than never.
            if at < now {
                guard calendar.isDate(at, inSameDayAs: now), isQuietFree(now) else { return nil }
                return Reminder(number: index + 1, day: day, at: now)
            }
            return Reminder(number: index + 1, day: day, at: at)
        }
    }

    /// The start of local day `text` (`2026-12-20`) in the business's zone, or nil if it is not
    /// such a day.
    public func startOfDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard text.count == 10, parts.count == 3 else { return nil }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == parts[2] else { return nil }
        return date
    }

    /// Whether `date` is inside the hours customers may be messaged.
    public func isQuietFree(_ date: Date) -> Bool {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return window.contains(minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    /// The next moment at or after `date` inside the window: `date` itself during the day,
    /// else the window's next opening (a reminder delayed past the evening waits for morning).
    public func nextAllowed(after date: Date) -> Date { window.nextOpening(atOrAfter: date, in: calendar) }

    /// Why an invoice gets no reminders, or nil when it does.
    public func refusal(balance: Money, payable: Bool) -> String? {
        guard payable, balance.isPositive else { return "nothing is owed on it" }
        guard balance.currency == underOrAt.currency else {
            return "its balance is in \(balance.currency.code), and reminders are limited in \(underOrAt.currency.code)"
        }
        guard balance.minorUnits <= underOrAt.minorUnits else {
            return "its balance of \(balance.formatted) is over the \(underOrAt.formatted) reminders are limited to (reminders.under)"
        }
        return nil
    }

    var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}

/// Why reminder settings were refused, naming the problem.
public enum ReminderRulesError: Error, Equatable, Sendable, CustomStringConvertible {
    case dayCount(Int, limit: Int)
    case dayOutOfRange(Int)
    case daysNotIncreasing([Int])
    case limitNotPositive(Money)

    public var description: String {
        switch self {
        case .dayCount(let count, let limit): "\(count) reminders: give 1 to \(limit) days, like \"-3,0,7,14\""
        case .dayOutOfRange(let day):
            "day \(day) is outside \(ReminderRules.earliestDay) to \(ReminderRules.latestDay) (days from the due date)"
        case .daysNotIncreasing(let days): "\(days.map(String.init).joined(separator: ",")) must go up, like -3,0,7,14"
        case .limitNotPositive(let money): "the limit must be more than zero, not \(money.formatted)"
        }
    }
}

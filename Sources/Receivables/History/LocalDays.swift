import Foundation

/// Whole local days between moments, in the business's calendar.
///
/// Days to pay, days late and forecast dates are counted in calendar days where the business
/// is, not in 24-hour periods: an invoice issued at 17:00 and paid at 09:00 the next morning
/// was paid in one day, and a daylight-saving change never makes a day of 23 or 25 hours
/// count as anything but one.
public struct LocalDays: Sendable, Equatable {
    public let calendar: Calendar

    /// A Gregorian calendar in `timeZone`.
    public init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    public var timeZone: TimeZone { calendar.timeZone }

    /// Local days from `start`'s date to `end`'s date: 0 on the same local date, negative when
    /// `end` is earlier.
    public func between(_ start: Date, _ end: Date) -> Int {
        calendar.dateComponents([.day], from: calendar.startOfDay(for: start), to: calendar.startOfDay(for: end)).day ?? 0
    }

    /// Local midnight of `date`'s date.
    public func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// Local midnight `days` dates after `date`'s date.
    public func day(_ days: Int, after date: Date) -> Date {
        calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: date)) ?? date
    }

    /// "2026-12-03": the local date, as a person and a JSON reader both read it.
    public func isoDate(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

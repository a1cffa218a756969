import Foundation

/// The part of each local day when posplus may charge a saved card or message a customer.
///
/// Start inclusive, end exclusive, within one day: a window across midnight would be the
/// night this exists to avoid, so it is refused.
public struct LocalTimeWindow: Equatable, Sendable, CustomStringConvertible {
    public let startMinute: Int
    public let endMinute: Int

    public init(startHour: Int, startMinute: Int, endHour: Int, endMinute: Int) throws(RetryRulesError) {
        let start = startHour * 60 + startMinute
        let end = endHour * 60 + endMinute
        let text = Self.text(start) + "-" + Self.text(end)
        guard (0..<24).contains(startHour), (0..<60).contains(startMinute), (0...24).contains(endHour),
            (0..<60).contains(endMinute), end <= 24 * 60, start < end
        else { throw .windowEmpty(text) }
        self.startMinute = start
        self.endMinute = end
    }

    /// "09:00-18:00": two 24-hour times joined by "-"; anything else is refused by name.
    public init(parsing text: String) throws(RetryRulesError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.split(separator: ":") }
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.count == 2 } }),
            let startHour = Int(parts[0][0]), let startMinute = Int(parts[0][1]), let endHour = Int(parts[1][0]),
            let endMinute = Int(parts[1][1])
        else { throw .windowUnreadable(String(text.prefix(20))) }
        try self.init(startHour: startHour, startMinute: startMinute, endHour: endHour, endMinute: endMinute)
    }

    public func contains(minuteOfDay minute: Int) -> Bool { minute >= startMinute && minute < endMinute }

    /// `date` itself when it is inside the window in `calendar`'s zone, else the window's next
    /// opening: later today before it opens, tomorrow once it has closed. Both quiet-hour rules
    /// (retries and reminders) wait with this.
    public func nextOpening(atOrAfter date: Date, in calendar: Calendar) -> Date {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        if contains(minuteOfDay: minute) { return date }
        let today = calendar.startOfDay(for: date)
        let day = minute < startMinute ? today : calendar.date(byAdding: .day, value: 1, to: today) ?? today
        return calendar.date(bySettingHour: startMinute / 60, minute: startMinute % 60, second: 0, of: day) ?? date
    }

    public var description: String { Self.text(startMinute) + "-" + Self.text(endMinute) }

    private static func text(_ minute: Int) -> String {
        let hour = minute / 60, rest = minute % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (rest < 10 ? "0" : "") + "\(rest)"
    }
}

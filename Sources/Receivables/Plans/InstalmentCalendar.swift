import Foundation

/// When each instalment falls due: the first on the day the plan is accepted, each next one
/// `spacingDays` later on the business's calendar, at the same local hour.
///
/// Why calendar days in the business's time zone and not 86,400-second steps: across a change
/// to or from daylight saving time, a fixed number of seconds lands an hour early or late, and
/// a charge due "at 10 in the morning" would run at 9 or 11. Later instalments fall at
/// ``chargeHour`` local time, so a plan accepted late in the evening is not charged at night.
public struct InstalmentCalendar: Equatable, Sendable {
    public let spacingDays: Int
    public let timeZone: TimeZone
    /// The local hour later instalments fall due (0 to 23).
    public let chargeHour: Int

    public init(spacingDays: Int, timeZone: TimeZone, chargeHour: Int = 10) throws(PlanError) {
        guard PlanLimits.spacingDays.contains(spacingDays) else { throw .spacing(spacingDays) }
        guard (0..<24).contains(chargeHour) else { throw .calendar("a charge hour of \(chargeHour)") }
        self.spacingDays = spacingDays
        self.timeZone = timeZone
        self.chargeHour = chargeHour
    }

    /// `count` due dates: `acceptedAt` itself, then every `spacingDays` local days at
    /// ``chargeHour``. `count` is bounded by ``PlanLimits/maximumInstalments``.
    public func dueDates(count: Int, from acceptedAt: Date) throws(PlanError) -> [Date] {
        guard (1...PlanLimits.maximumInstalments).contains(count) else { throw .instalmentCount(count) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = calendar.dateComponents([.year, .month, .day], from: acceptedAt)
        var dates = [acceptedAt]
        for index in 1..<count {
            var components = day
            components.day = (day.day ?? 1) + index * spacingDays  // at most 31 + 11 × 92: small
            components.hour = chargeHour
            components.minute = 0
            // The calendar normalises day 45 of March to the right day of April.
            guard let date = calendar.date(from: components) else { throw .calendar("instalment \(index + 1)") }
            dates.append(date)
        }
        return dates
    }
}

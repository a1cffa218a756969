import Foundation
import PosPlusCore
import Receivables
import Testing

@Suite struct ReminderRulesTests {
    let newYork = TimeZone(identifier: "America/New_York")!

    func rules(days: [Int] = [-3, 0, 7, 14], under: Int64 = 100_000) throws -> ReminderRules {
        try ReminderRules(
            days: days, window: LocalTimeWindow(parsing: "09:00-19:00"), timeZone: newYork,
            underOrAt: Money(minorUnits: under, currency: .usd))
    }

    func local(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = newYork
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        return formatter.date(from: text)!
    }

    @Test func remindersGoAtNineLocalOnTheirDaysAcrossTheClockChange() throws {
        let rules = try rules()
        // Due Sunday 2026-11-08; DST ended on 2026-11-01, between the first two reminders' weeks.
        let due = try #require(rules.startOfDay("2026-11-08"))
        let schedule = rules.schedule(due: due, now: local("2026-10-20T12:00:00"))
        #expect(
            schedule.map(\.at) == [
                local("2026-11-05T09:00:00"), local("2026-11-08T09:00:00"), local("2026-11-15T09:00:00"), local("2026-11-22T09:00:00"),
            ])
        #expect(schedule.map(\.number) == [1, 2, 3, 4])
        #expect(
            schedule.map(\.words) == [
                "3 days before it is due", "the day it is due", "7 days after it was due", "14 days after it was due",
            ])
    }

    @Test func anInvoiceFoundLateGetsOnlyWhatIsStillAheadAndTodaysAtOnceInDaylight() throws {
        let rules = try rules()
        let due = try #require(rules.startOfDay("2026-11-08"))
        let afternoon = local("2026-11-08T14:30:00")
        #expect(
            rules.schedule(due: due, now: afternoon).map(\.at) == [afternoon, local("2026-11-15T09:00:00"), local("2026-11-22T09:00:00")])
        // At night today's is dropped: nobody is texted at 23:00, and tomorrow is not its day.
        #expect(rules.schedule(due: due, now: local("2026-11-08T23:00:00")).map(\.day) == [7, 14])
    }

    @Test func quietHoursWaitForTheMorning() throws {
        let rules = try rules()
        #expect(!rules.isQuietFree(local("2026-11-08T07:00:00")) && rules.isQuietFree(local("2026-11-08T09:00:00")))
        #expect(rules.nextAllowed(after: local("2026-11-08T07:00:00")) == local("2026-11-08T09:00:00"))
        #expect(rules.nextAllowed(after: local("2026-11-08T19:00:00")) == local("2026-11-09T09:00:00"))
        #expect(rules.nextAllowed(after: local("2026-11-08T12:00:00")) == local("2026-11-08T12:00:00"))
    }

    @Test func onlyOpenBalancesUpToTheLimitAreReminded() throws {
        let rules = try rules(under: 50_000)
        #expect(rules.refusal(balance: Money(minorUnits: 50_000, currency: .usd), payable: true) == nil)
        #expect(rules.refusal(balance: Money(minorUnits: 50_001, currency: .usd), payable: true)?.contains("over the $500.00") == true)
        #expect(rules.refusal(balance: Money(minorUnits: 0, currency: .usd), payable: true) == "nothing is owed on it")
        #expect(rules.refusal(balance: Money(minorUnits: 10_000, currency: .usd), payable: false) == "nothing is owed on it")
    }

    @Test func badSettingsAreRefusedByName() throws {
        #expect(throws: ReminderRulesError.daysNotIncreasing([0, -3])) { try rules(days: [0, -3]) }
        #expect(throws: ReminderRulesError.dayOutOfRange(120)) { try rules(days: [120]) }
        #expect(throws: ReminderRulesError.dayCount(0, limit: 8)) { try rules(days: []) }
        #expect(try rules().startOfDay("2026-02-30") == nil)
    }
}

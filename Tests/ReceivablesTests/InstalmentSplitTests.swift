import Foundation
import PosPlusCore
import Receivables
import Testing

@Suite struct InstalmentSplitTests {
    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    @Test func theRemainderGoesOnTheLastInstalment() throws {
        #expect(try InstalmentSplit.equal(usd(100_000), into: 3) == [usd(33_333), usd(33_333), usd(33_334)])
        #expect(try InstalmentSplit.equal(usd(100_001), into: 2) == [usd(50_000), usd(50_001)])
        #expect(try InstalmentSplit.equal(usd(123_456), into: 3) == [usd(41_152), usd(41_152), usd(41_152)])
    }

    @Test func oddCentsAlwaysAddUpToTheTotal() throws {
        for total in [Int64(2), 7, 99, 101, 1_000, 123_457, 999_999_99] {
            for count in 1...PlanLimits.maximumInstalments where total >= Int64(count) {
                let parts = try InstalmentSplit.equal(usd(total), into: count)
                #expect(parts.count == count)
                #expect(parts.reduce(Int64(0)) { $0 + $1.minorUnits } == total, "\(total) into \(count)")
                #expect(Set(parts.dropLast()).count <= 1, "all but the last are equal")
                #expect(parts.last!.minorUnits >= parts.first!.minorUnits)
                #expect(parts.last!.minorUnits - parts.first!.minorUnits < Int64(count), "the remainder is less than one cent each")
            }
        }
    }

    @Test func theLargestAmountSplitsWithoutOverflow() throws {
        let parts = try InstalmentSplit.equal(usd(.max), into: 3)
        #expect(parts == [usd(3_074_457_345_618_258_602), usd(3_074_457_345_618_258_602), usd(3_074_457_345_618_258_603)])
        let deposit = try InstalmentSplit.deposit(usd(.max), share: try Proportion(999_999, of: 1_000_000))
        #expect(deposit[0].minorUnits + deposit[1].minorUnits == .max)
        #expect(deposit[1].minorUnits == 9_223_372_036_855, "the rest is the millionth, rounded against the deposit")
    }

    @Test func tooFewCentsOrABadCountIsRefusedByName() {
        #expect(throws: PlanError.tooFewCents(usd(2), count: 3)) { try InstalmentSplit.equal(usd(2), into: 3) }
        #expect(throws: PlanError.instalmentCount(0)) { try InstalmentSplit.equal(usd(100), into: 0) }
        #expect(throws: PlanError.instalmentCount(13)) { try InstalmentSplit.equal(usd(100_000), into: 13) }
        #expect(throws: PlanError.notPositive(usd(0))) { try InstalmentSplit.equal(usd(0), into: 2) }
        #expect(throws: PlanError.notPositive(usd(-5))) { try InstalmentSplit.deposit(usd(-5), share: try Proportion(percent: 30)) }
        #expect(throws: PlanError.share("100%")) { try InstalmentSplit.deposit(usd(1_000), share: try Proportion(percent: 100)) }
        #expect(throws: PlanError.share("0%")) { try InstalmentSplit.deposit(usd(1_000), share: try Proportion(percent: 0)) }
        #expect(throws: PlanError.share("3 of 2")) { try Proportion(3, of: 2) }
        #expect(throws: PlanError.tooFewCents(usd(1), count: 2)) { try InstalmentSplit.deposit(usd(1), share: try Proportion(percent: 30)) }
    }

    @Test func theDepositIsRoundedToTheCentHalfUpAndTheRestMakesTheTotal() throws {
        let thirty = try Proportion(percent: 30)
        #expect(try InstalmentSplit.deposit(usd(123_456), share: thirty) == [usd(37_037), usd(86_419)])  // 370.368 → 370.37
        #expect(try InstalmentSplit.deposit(usd(100_005), share: try Proportion(percent: 50)) == [usd(50_003), usd(50_002)])  // half up
        #expect(try InstalmentSplit.deposit(usd(100_001), share: try Proportion(1, of: 3)) == [usd(33_334), usd(66_667)])  // 333.336…
        #expect(try InstalmentSplit.deposit(usd(100_000), share: try Proportion(1, of: 3)) == [usd(33_333), usd(66_667)])  // 333.333…
    }
}

@Suite struct InstalmentCalendarTests {
    let newYork = LocalClock("America/New_York")

    @Test func theFirstIsDueOnAcceptanceAndTheRestAtTheChargeHourEverySpacing() throws {
        let calendar = try InstalmentCalendar(spacingDays: 30, timeZone: newYork.zone)
        let accepted = newYork.at(2026, 1, 20, 16, 45)
        #expect(
            try calendar.dueDates(count: 3, from: accepted) == [accepted, newYork.at(2026, 2, 19, 10, 0), newYork.at(2026, 3, 21, 10, 0)])
    }

    /// 2026-03-08 and 2026-11-01 are the changes in New York: fourteen calendar days are not
    /// 14 × 86,400 seconds across them, and the charge stays at 10 in the morning.
    @Test func datesAcrossDaylightSavingKeepTheLocalHour() throws {
        let calendar = try InstalmentCalendar(spacingDays: 14, timeZone: newYork.zone)
        let spring = try calendar.dueDates(count: 3, from: newYork.at(2026, 3, 1, 9, 0))
        #expect(spring[1] == newYork.at(2026, 3, 15, 10, 0) && spring[2] == newYork.at(2026, 3, 29, 10, 0))
        #expect(spring[1].timeIntervalSince(newYork.at(2026, 3, 1, 10, 0)) == 14 * 86_400 - 3_600, "a short day is crossed")
        let autumn = try calendar.dueDates(count: 2, from: newYork.at(2026, 10, 25, 9, 0))
        #expect(autumn[1] == newYork.at(2026, 11, 8, 10, 0))
        #expect(autumn[1].timeIntervalSince(newYork.at(2026, 10, 25, 10, 0)) == 14 * 86_400 + 3_600, "a long day is crossed")
        var local = Calendar(identifier: .gregorian)
        local.timeZone = newYork.zone
        #expect(local.component(.hour, from: spring[2]) == 10 && local.component(.hour, from: autumn[1]) == 10)
    }

    @Test func spacingAndCountOutsideTheLimitsAreRefused() throws {
        #expect(throws: PlanError.spacing(0)) { try InstalmentCalendar(spacingDays: 0, timeZone: newYork.zone) }
        #expect(throws: PlanError.spacing(400)) { try InstalmentCalendar(spacingDays: 400, timeZone: newYork.zone) }
        let calendar = try InstalmentCalendar(spacingDays: 92, timeZone: newYork.zone)
        #expect(throws: PlanError.instalmentCount(13)) { try calendar.dueDates(count: 13, from: Date()) }
        let longest = try calendar.dueDates(count: 12, from: newYork.at(2026, 12, 31, 9, 0))
        #expect(longest.last == newYork.at(2029, 10, 8, 10, 0), "11 × 92 days later, normalised across years")
    }
}

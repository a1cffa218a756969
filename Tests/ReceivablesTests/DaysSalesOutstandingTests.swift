import Foundation
import PosPlusCore
import Receivables
import Testing

@Suite struct DaysSalesOutstandingTests {
    let world = ForecastWorld()

    /// The 90 days ending 2026-03-31 are Jan 1 to Mar 31.
    var invoices: [ReceivableInvoice] {
        [
            world.invoice(
                "1", client: "a", issued: world.at(2026, 1, 10), due: nil, total: 100_000, paid: [(world.at(2026, 2, 5), 100_000)]),
            world.invoice(
                "2", client: "b", issued: world.at(2026, 2, 20), due: nil, total: 50_000, paid: [(world.at(2026, 3, 10), 20_000)]),
            world.invoice("3", client: "c", issued: world.at(2026, 3, 25), due: nil, total: 25_050),
            world.invoice("4", client: "d", issued: world.at(2025, 12, 15), due: nil, total: 40_000),
            world.invoice("5", client: "e", issued: world.at(2026, 4, 2), due: nil, total: 70_000),
        ]
    }

    @Test func receivablesOverCreditSalesTimesDaysWorkedByHand() throws {
        // Receivables: #2 300.00 + #3 250.50 + #4 400.00 = 950.50 (#1 is paid, #5 not issued yet).
        // Sales Jan 1–Mar 31: #1 1,000.00 + #2 500.00 + #3 250.50 = 1,750.50 (#4 is December's).
        // 950.50 / 1,750.50 × 90 = 48.8689… → 48.9 days.
        let dso = try DaysSalesOutstanding.measure(
            at: world.at(2026, 3, 31, 18), invoices: invoices, periodDays: 90, days: world.days, currency: .usd)
        #expect(dso.receivables == world.usd(95_050))
        #expect(dso.creditSales == world.usd(175_050))
        #expect(dso.tenths == 489)
        #expect(dso.text == "48.9 days")
    }

    @Test func theFirstDayOfThePeriodCountsAndTheDayBeforeDoesNot() throws {
        let onTheFirstDay = [world.invoice("1", client: "a", issued: world.at(2026, 1, 1, 0), due: nil, total: 1_000)]
        let dayBefore = [world.invoice("1", client: "a", issued: world.at(2025, 12, 31, 23), due: nil, total: 1_000)]
        let end = world.at(2026, 3, 31, 18)
        #expect(
            try DaysSalesOutstanding.measure(at: end, invoices: onTheFirstDay, periodDays: 90, days: world.days, currency: .usd).tenths
                == 900)
        #expect(
            try DaysSalesOutstanding.measure(at: end, invoices: dayBefore, periodDays: 90, days: world.days, currency: .usd).tenths == nil)
    }

    @Test func halfATenthRoundsUp() throws {
        // 1 × 90 / 8 = 11.25 → 11.3 in tenths (112.5 rounded half up).
        #expect(try DaysSalesOutstanding.tenths(receivables: 1, sales: 8, periodDays: 90) == 113)
    }

    @Test func withoutSalesItIsUndefinedNotZero() throws {
        let dso = try DaysSalesOutstanding.measure(
            at: world.at(2026, 3, 31), invoices: [], periodDays: 90, days: world.days, currency: .usd)
        #expect(dso.tenths == nil)
        #expect(dso.text == "n/a (no credit sales in the period)")
    }

    @Test func anAmountTooLargeToMultiplyIsAnErrorNotAWrongFigure() {
        let huge = [world.invoice("1", client: "a", issued: world.at(2026, 3, 1), due: nil, total: Int64.max / 2)]
        #expect(throws: MoneyError.self) {
            try DaysSalesOutstanding.measure(at: world.at(2026, 3, 31), invoices: huge, periodDays: 90, days: world.days, currency: .usd)
        }
    }

    @Test func theTrendIsTheLastMonthEndsOldestFirst() throws {
        let trend = try DaysSalesOutstanding.trend(
            endingBefore: world.at(2026, 4, 15), months: 3, invoices: invoices, periodDays: 90, days: world.days, currency: .usd)
        #expect(trend.map { world.days.isoDate($0.at) } == ["2026-01-31", "2026-02-28", "2026-03-31"])
        #expect(trend.last?.tenths == 489)
        // Jan 31: owed #1 1,000.00 + #4 400.00; sales Nov 3–Jan 31: #1 1,000.00 + #4 400.00 → 90.0 days.
        #expect(trend.first?.tenths == 900)
    }
}

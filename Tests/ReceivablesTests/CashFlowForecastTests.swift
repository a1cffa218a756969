import Foundation
import PosPlusCore
import Receivables
import Testing

/// The forecast, chase list and chart on a small book worked out by hand. Today is Thursday
/// 2026-12-03 in Chicago.
@Suite struct CashFlowForecastTests {
    let world = ForecastWorld()
    var today: Date { world.at(2026, 12, 3, 10) }

    /// Xavier pays in 10, 12 and 14 days (median 12) and has one invoice 34 days past due;
    /// Yolanda and Zed have no paid invoice (they get the business median, 12).
    var invoices: [ReceivableInvoice] {
        [
            world.invoice(
                "101", client: "xavier", issued: world.at(2026, 6, 1), due: world.at(2026, 7, 1), total: 20_000,
                paid: [(world.at(2026, 6, 11), 20_000)]),
            world.invoice(
                "102", client: "xavier", issued: world.at(2026, 7, 1), due: world.at(2026, 7, 31), total: 30_000,
                paid: [(world.at(2026, 7, 13), 30_000)]),
            world.invoice(
                "103", client: "xavier", issued: world.at(2026, 8, 3), due: world.at(2026, 9, 2), total: 40_000,
                paid: [(world.at(2026, 8, 17), 40_000)]),
            world.invoice("104", client: "xavier", issued: world.at(2026, 10, 1), due: world.at(2026, 10, 30), total: 82_000),
            world.invoice("105", client: "xavier", issued: world.at(2026, 11, 28), due: world.at(2026, 12, 28), total: 41_010),
            world.invoice("201", client: "yolanda", issued: world.at(2026, 12, 1), due: world.at(2026, 12, 31), total: 10_001),
            world.invoice("301", client: "zed", issued: world.at(2026, 11, 20), due: nil, total: 99_999),
            world.invoice(
                "401", client: "walt", issued: world.at(2026, 11, 1), due: world.at(2026, 11, 15), total: 500_000, disputed: true),
            world.invoice("501", client: "vera", issued: world.at(2026, 7, 1), due: world.at(2026, 8, 1), total: 15_000),
        ]
    }

    var scheduled: [ScheduledInflow] {
        [
            ScheduledInflow(date: world.at(2026, 12, 5), amount: world.usd(25_025), kind: .pendingACH, reference: "payment 42"),
            ScheduledInflow(
                date: world.at(2027, 1, 20), amount: world.usd(33_333), kind: .planInstalment, reference: "plan 7 #2", invoiceID: "id-301"),
            ScheduledInflow(
                date: world.at(2027, 2, 20), amount: world.usd(33_333), kind: .planInstalment, reference: "plan 7 #3", invoiceID: "id-301"),
        ]
    }

    func outlook() throws -> ReceivablesOutlook {
        try ReceivablesOutlook(invoices: invoices, scheduled: scheduled, asOf: today, timeZone: world.zone, currency: .usd)
    }

    @Test func horizonsAddUpToTheCent() throws {
        let forecast = try outlook().forecast
        // 30 days: ACH 250.25 + #104 820.00 (late: a week from today) + #105 410.10 (Nov 28 + 12)
        //          + #201 100.01 (Dec 1 + 12) + #301's unplanned 333.33 (late: a week) = 1,913.69
        // 60 days: + plan instalment 333.33 on Jan 20; 90 days: + 333.33 on Feb 20.
        #expect(forecast.horizons.map(\.days) == [30, 60, 90])
        #expect(forecast.horizons.map(\.expected.minorUnits) == [191_369, 224_702, 258_035])
        #expect(forecast.businessMedianDaysToPay == 12)
    }

    @Test func eachInvoiceIsExpectedOnTheDateItsRuleGives() throws {
        let forecast = try outlook().forecast
        func offset(_ number: String) -> Int? {
            forecast.expected.first { $0.source == .invoice(id: "id-\(number)", number: number) }?.dayOffset
        }
        #expect(offset("105") == 7)  // Nov 28 + 12 days = Dec 10
        #expect(offset("201") == 10)  // Dec 1 + 12 = Dec 13
        #expect(offset("104") == 7)  // later than usual: within a week
        #expect(offset("401") == nil)  // disputed
        #expect(offset("501") == nil)  // 124 days past due
        #expect(forecast.doubtful.map(\.number) == ["401", "501"])
        #expect(forecast.doubtful[0].reason == "$5,000.00 on #401 is not counted on: in dispute")
        #expect(forecast.doubtful[1].reason == "$150.00 on #501 is not counted on: 124 days past due")
        let late = try #require(forecast.expected.first { $0.source == .invoice(id: "id-104", number: "104") })
        #expect(late.reason == "Issued 63 days ago and this client usually pays in 12 days: later than usual, expected within 7 days")
        let fresh = try #require(forecast.expected.first { $0.source == .invoice(id: "id-201", number: "201") })
        #expect(fresh.reason == "Issued 2026-12-01 and no paid invoice from this client yet; the business's median is 12 days")
    }

    @Test func aPlannedPartOfAnInvoiceIsNotCountedTwice() throws {
        let forecast = try outlook().forecast
        let zed = forecast.expected.filter { entry in
            if case .invoice(let id, _) = entry.source { return id == "id-301" }
            return entry.reason.contains("plan 7")
        }
        #expect(zed.map(\.amount.minorUnits) == [33_333, 33_333, 33_333])
        #expect(zed.map(\.dayOffset) == [7, 48, 79])
    }

    @Test func weeksStackInvoicesAndScheduledAndRunATotal() throws {
        let weeks = try outlook().forecast.weeks
        #expect(weeks.count == 13)
        #expect(weeks[0].scheduled == world.usd(25_025))
        #expect(weeks[0].fromInvoices == world.usd(0))
        #expect(weeks[1].fromInvoices == world.usd(82_000 + 41_010 + 10_001 + 33_333))
        #expect(weeks[1].cumulative == world.usd(191_369))
        #expect(weeks[12].cumulative == world.usd(258_035))
        #expect(weeks[1].start == world.days.day(7, after: today))
    }

    @Test func chaseTheLargestMoneyDaysFirstWithTheReason() throws {
        let chase = try outlook().chase
        // #104: 820.00 × 34 days = 2,788,000; #501: 150.00 × 124 = 1,860,000; #301's unplanned 333.33 × 13 = 433,329.
        #expect(chase.map(\.number) == ["104", "501", "301"])
        #expect(chase.map(\.weight) == [2_788_000, 1_860_000, 433_329])
        #expect(
            chase[0].reason
                == "$820.00, 34 days past due; this client usually pays in 12 days, and this one is older than any they have paid (on time 3 of 4, 75%)"
        )
        #expect(chase[2].reason == "$333.33, 13 days past due ($666.66 more is already scheduled); no paid invoice from this client yet")
    }

    @Test func horizonsParseFromText() {
        #expect(ForecastRules.horizons(parsing: "90, 30,60") == [30, 60, 90])
        #expect(ForecastRules.horizons(parsing: "7") == [7])
        #expect(ForecastRules.horizons(parsing: "30,30") == nil)
        #expect(ForecastRules.horizons(parsing: "0") == nil)
        #expect(ForecastRules.horizons(parsing: "30,x") == nil)
        #expect(ForecastRules.horizons(parsing: "") == nil)
    }

    @Test func theChartDrawsAWeekPerBarWithMoneyOnTheAxis() throws {
        let outlook = try outlook()
        var chart = ForecastChart()
        chart.title = "Cash <in> & \"out\""
        let svg = chart.svg(outlook.forecast, days: outlook.days)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<g class=\"week\">").count - 1 == 13)
        #expect(svg.contains("Cash &lt;in&gt; &amp; &quot;out&quot;"))
        #expect(!svg.contains("Cash <in>"))
        // Peak 2,580.35: five steps of $500 would not do; $1,000 steps reach $3,000.
        #expect(svg.contains(">$3,000</text>") && svg.contains(">$0</text>"))
        #expect(svg.contains("Week of 2026-12-10: $1,663.44"))
        #expect(svg.contains("<polyline class=\"cumulative\""))
        #expect(chart.svg(outlook.forecast, days: outlook.days) == svg)
    }

    @Test func theChartScaleUsesRoundSteps() {
        let scales = [258_035, 0, 450].map { ForecastChart.scale(peak: $0, perMajor: 100) }
        #expect(scales.map(\.step) == [100_000, 10_000, 100])
        #expect(scales.map(\.ticks) == [3, 1, 5])
    }
}

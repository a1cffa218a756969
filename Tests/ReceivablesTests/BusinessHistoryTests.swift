import Foundation
import PosPlusCore
import Receivables
import Testing

/// The generated year (issue 13 part 7) and the forecast rules run over it. The year is a model
/// (see `BusinessHistory`): these tests check that it has the shape its doc comment promises and
/// that the rules behave sensibly on it, not what a real business will see.
@Suite struct BusinessHistoryTests {
    let zone = TimeZone(identifier: "America/Chicago")!

    @Test func theSameSeedGivesTheSameYear() {
        #expect(BusinessHistory.generate(seed: 13, timeZone: zone) == BusinessHistory.generate(seed: 13, timeZone: zone))
        #expect(BusinessHistory.generate(seed: 13, timeZone: zone) != BusinessHistory.generate(seed: 14, timeZone: zone))
    }

    @Test(arguments: [13, 2026, 7] as [UInt64])
    func theYearHasTheShapeItsAssumptionsDescribe(seed: UInt64) throws {
        let year = BusinessHistory.generate(seed: seed, timeZone: zone)
        let days = LocalDays(timeZone: zone)
        #expect(year.clients.count == 60)
        #expect(Set(year.clients.map(\.id)).count == 60)
        #expect(Set(year.clients.map(\.name)).count == 60)
        #expect(Set(year.clients.map(\.habit)) == Set(GeneratedBusiness.PaymentHabit.allCases))
        #expect(Set(year.clients.map(\.netDays)) == [15, 30])
        #expect((180...1_020).contains(year.invoices.count))
        #expect(Set(year.invoices.map(\.number)).count == year.invoices.count)
        #expect(year.invoices.filter(\.disputed).count == 2)
        #expect(!year.declines.isEmpty)
        #expect(!year.laterPayments.isEmpty)
        #expect(!year.openInvoices.isEmpty)
        for invoice in year.invoices {
            #expect((9_000...600_000).contains(invoice.total.minorUnits))
            let paid = invoice.payments.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            #expect(invoice.balance.minorUnits == invoice.total.minorUnits - paid)
            #expect(invoice.payments.allSatisfy { $0.date >= days.startOfDay(invoice.issued) && $0.date <= year.asOf })
            let weekday = days.calendar.component(.weekday, from: invoice.issued)
            #expect(weekday != 1 && weekday != 7)
        }
        // Prompt clients are never late; very late clients nearly always are.
        let histories = PaymentHistories(invoices: year.invoices, asOf: year.asOf, days: days)
        for client in year.clients {
            let history = try #require(histories[client.id])
            if client.habit == .prompt { #expect(history.lateCount == 0) }
            if client.habit == .veryLate { #expect(history.onTimeCount == 0) }
        }
    }

    @Test(arguments: [13, 2026, 7] as [UInt64])
    func theRulesOnTheGeneratedYear(seed: UInt64) throws {
        let year = BusinessHistory.generate(seed: seed, timeZone: zone)
        let outlook = try ReceivablesOutlook(invoices: year.invoices, scheduled: [], asOf: year.asOf, timeZone: zone, currency: .usd)
        let actual30 = year.laterPayments.values.joined().filter { LocalDays(timeZone: zone).between(year.asOf, $0.date) < 30 }
            .reduce(Int64(0)) { $0 + $1.amount.minorUnits }
        let forecast30 = outlook.forecast.horizons[0].expected.minorUnits
        print(
            "seed \(seed): DSO \(outlook.dsoNow.text), trend \(outlook.dsoTrend.map(\.text)); 30 days forecast \(forecast30), actual \(actual30); chase \(outlook.chase.count)"
        )

        // Nothing of a prompt client is ever chased: they pay before the due date.
        let habit = Dictionary(uniqueKeysWithValues: year.clients.map { ($0.id, $0.habit) })
        #expect(outlook.chase.allSatisfy { habit[$0.clientID] != .prompt })
        // The top of the list is a late or very late payer's.
        #expect([.late, .veryLate].contains(habit[try #require(outlook.chase.first).clientID]))
        // Disputed invoices are never chased and never counted on.
        #expect(outlook.chase.allSatisfy { item in !year.invoices.contains { $0.id == item.invoiceID && $0.disputed } })
        #expect(outlook.forecast.doubtful.filter { $0.reason.hasSuffix("in dispute") }.count == 2)
        // Horizons grow, and the 30-day figure is within a factor of two of what really came in.
        let figures = outlook.forecast.horizons.map(\.expected.minorUnits)
        #expect(figures == figures.sorted())
        #expect(forecast30 * 2 >= actual30 && actual30 * 2 >= forecast30)
        // DSO of a business billing net 15/30 with a few late payers: weeks, not months.
        #expect((150...900).contains(try #require(outlook.dsoNow.tenths)))
        #expect(outlook.dsoTrend.count == 6)
    }
}

import Foundation
import PosPlusCore
import Receivables
import Testing

@Suite struct ClientPaymentHistoryTests {
    let world = ForecastWorld()

    func entry(_ id: String, issued: Date, dueIn: Int?, paidAfter: Int?, disputed: Bool = false) -> ClientPaymentHistory.Invoice {
        ClientPaymentHistory.Invoice(
            id: id, issued: issued, due: dueIn.map { world.days.day($0, after: issued) }, total: world.usd(10_000),
            paidAt: paidAfter.map { world.days.day($0, after: issued).addingTimeInterval(3_600 * 10) }, disputed: disputed)
    }

    @Test func countsOnTimeLateAndUndecidedByTheDueDate() {
        let issued = world.at(2026, 9, 1)
        let asOf = world.at(2026, 12, 3)
        let history = ClientPaymentHistory(
            [
                entry("a", issued: issued, dueIn: 15, paidAfter: 3),
                entry("b", issued: issued, dueIn: 15, paidAfter: 20),  // 5 days late
                entry("c", issued: issued, dueIn: 15, paidAfter: 40),  // 25 days late
                entry("d", issued: issued, dueIn: 15, paidAfter: 15),  // on the due date: on time
                entry("e", issued: issued, dueIn: 15, paidAfter: nil),  // unpaid and past due: late
                entry("f", issued: world.at(2026, 12, 1), dueIn: 30, paidAfter: nil, disputed: true),  // not due yet
            ], asOf: asOf, days: world.days)
        #expect(history.invoicesCounted == 6)
        #expect(history.paidCount == 4)
        #expect(history.onTimeCount == 2)
        #expect(history.lateCount == 3)
        #expect(history.onTimePerMille == 400)
        #expect(history.daysToPay == [3, 15, 20, 40])
        #expect(history.medianDaysToPay == 18)  // (15 + 20) / 2 = 17.5, half up
        #expect(history.meanDaysToPay == 20)  // 78 / 4 = 19.5, half up
        #expect(history.daysLate == [5, 25])
        #expect(history.medianDaysLate == 15)
        #expect(history.maxDaysLate == 25)
        #expect(history.openDisputes == 1)
    }

    @Test func anInvoiceWithoutADueDateIsDueOnItsIssueDate() {
        let issued = world.at(2026, 6, 1)
        let history = ClientPaymentHistory(
            [entry("a", issued: issued, dueIn: nil, paidAfter: 0), entry("b", issued: issued, dueIn: nil, paidAfter: 2)],
            asOf: world.at(2026, 12, 1), days: world.days)
        #expect(history.onTimeCount == 1)
        #expect(history.daysLate == [2])
    }

    @Test func daysAreLocalDatesSoADaylightSavingWeekendIsStillTwoDays() {
        // Chicago moves its clocks on 2026-03-08: Saturday 17:00 to Monday 09:00 is 40 hours, two local days.
        let issued = world.days.calendar.date(from: DateComponents(year: 2026, month: 3, day: 7, hour: 17))!
        let paid = world.days.calendar.date(from: DateComponents(year: 2026, month: 3, day: 9, hour: 9))!
        #expect(world.days.between(issued, paid) == 2)
        let history = ClientPaymentHistory(
            [.init(id: "x", issued: issued, due: nil, total: world.usd(1), paidAt: paid)], asOf: paid, days: world.days)
        #expect(history.daysToPay == [2])
    }

    @Test func anEmptyHistoryHasNoFiguresRatherThanZeros() {
        let history = ClientPaymentHistory([], asOf: world.at(2026, 1, 1), days: world.days)
        #expect(!history.hasPaymentHistory)
        #expect(history.onTimePerMille == nil)
        #expect(history.medianDaysToPay == nil)
        #expect(history.meanDaysToPay == nil)
        #expect(history.maxDaysLate == 0)
    }

    @Test func aPartlyPaidInvoiceIsPaidWhenItsPaymentsCoverTheTotal() throws {
        let invoice = world.invoice(
            "1", client: "ada", issued: world.at(2026, 5, 1), due: nil, total: 10_000,
            paid: [(world.at(2026, 5, 20), 4_000), (world.at(2026, 5, 9), 6_000)])
        #expect(invoice.paidAt == world.at(2026, 5, 20))
        #expect(try invoice.owed(at: world.at(2026, 5, 10)) == world.usd(4_000))
        #expect(try invoice.owed(at: world.at(2026, 4, 30)) == world.usd(0))
        let partly = world.invoice(
            "2", client: "ada", issued: world.at(2026, 5, 1), due: nil, total: 10_000, paid: [(world.at(2026, 5, 9), 6_000)])
        #expect(partly.paidAt == nil)
        #expect(partly.historyEntry.paidAt == nil)
    }
}

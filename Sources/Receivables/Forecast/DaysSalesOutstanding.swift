import Foundation
import PosPlusCore

/// Days sales outstanding: how many days of credit sales are still owed.
///
/// The standard formula, on a trailing period (90 days by default):
///
///     DSO = receivables at the end of the period ÷ credit sales during the period × days in the period
///
/// - *Receivables* at moment T: for every invoice issued by T, its total less the payments
///   entered by T (``ReceivableInvoice/owed(at:)``). An invoice later written off still counts
///   until it is paid: a write-off is not a payment.
/// - *Credit sales*: the totals of invoices issued in the period's local days, T's date
///   included. Every invoice is a credit sale here: Jobber bills after the work.
/// - The result is in tenths of a day, rounded half up, computed in whole numbers with
///   overflow checks; no floating point anywhere. Without sales in the period it is undefined
///   (nil), not zero or infinite.
///
/// Known limit: only the invoices read (Jobber: the last 12 months, plus anything still open)
/// are counted, so a trend point far back may miss an older invoice that was still owed then.
public struct DaysSalesOutstanding: Equatable, Sendable {
    /// The moment measured at (the end of a local day).
    public var at: Date
    public var periodDays: Int
    public var receivables: Money
    public var creditSales: Money
    /// DSO in tenths of a day; nil without credit sales in the period.
    public var tenths: Int64?

    /// Measures at `moment`.
    public static func measure(
        at moment: Date, invoices: [ReceivableInvoice], periodDays: Int, days: LocalDays, currency: Currency
    ) throws(MoneyError) -> DaysSalesOutstanding {
        let firstDay = days.day(-(periodDays - 1), after: moment)
        var receivables = Money.zero(currency)
        var sales = Money.zero(currency)
        for invoice in invoices {
            receivables = try receivables + invoice.owed(at: moment)
            if invoice.issued >= firstDay && invoice.issued <= moment { sales = try sales + invoice.total }
        }
        return DaysSalesOutstanding(
            at: moment, periodDays: periodDays, receivables: receivables, creditSales: sales,
            tenths: try tenths(receivables: receivables.minorUnits, sales: sales.minorUnits, periodDays: periodDays))
    }

    /// `receivables × periodDays ÷ sales` in tenths, rounded half up: `(2·R·P·10 + S) ÷ 2S`.
    public static func tenths(receivables: Int64, sales: Int64, periodDays: Int) throws(MoneyError) -> Int64? {
        guard sales > 0 else { return nil }
        var numerator = receivables
        for factor in [Int64(periodDays), 10, 2] {
            let (product, overflow) = numerator.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw .overflow(operation: "DSO") }
            numerator = product
        }
        let (sum, overflow) = numerator.addingReportingOverflow(sales)
        guard !overflow else { throw .overflow(operation: "DSO") }
        return sum / (2 * sales)
    }

    /// DSO at the end of each of the last `months` complete local months before `asOf`'s month,
    /// oldest first: the trend.
    public static func trend(
        endingBefore asOf: Date, months: Int, invoices: [ReceivableInvoice], periodDays: Int, days: LocalDays, currency: Currency
    ) throws(MoneyError) -> [DaysSalesOutstanding] {
        let calendar = days.calendar
        guard let thisMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: asOf)) else { return [] }
        var points: [DaysSalesOutstanding] = []
        for back in stride(from: months - 1, through: 0, by: -1) {
            guard let nextMonthStart = calendar.date(byAdding: .month, value: -back, to: thisMonth) else { continue }
            let monthEnd = nextMonthStart.addingTimeInterval(-1)
            points.append(try measure(at: monthEnd, invoices: invoices, periodDays: periodDays, days: days, currency: currency))
        }
        return points
    }

    /// "34.2 days", or "n/a (no credit sales in the period)".
    public var text: String {
        guard let tenths else { return "n/a (no credit sales in the period)" }
        return "\(tenths / 10).\(tenths % 10) days"
    }
}

import Foundation

/// The few settings of the cash-flow forecast, each a rule a manager can read.
public struct ForecastRules: Equatable, Sendable {
    /// Days ahead the forecast totals, shortest first (30, 60 and 90 by default).
    public var horizons: [Int]
    /// An open invoice already later than its client usually pays is expected this many days
    /// from today: once chased, most late payers pay within about a week.
    public var lateInvoiceExpectedInDays: Int
    /// Past due by more than this many days, an invoice is doubtful: listed, not counted on.
    public var doubtfulAfterDaysPastDue: Int
    /// Days of credit sales the DSO is measured over (the trailing quarter by default).
    public var dsoPeriodDays: Int
    /// Month-ends the DSO trend shows, oldest first.
    public var dsoTrendMonths: Int

    public init(
        horizons: [Int] = [30, 60, 90], lateInvoiceExpectedInDays: Int = 7, doubtfulAfterDaysPastDue: Int = 90, dsoPeriodDays: Int = 90,
        dsoTrendMonths: Int = 6
    ) {
        self.horizons = horizons
        self.lateInvoiceExpectedInDays = lateInvoiceExpectedInDays
        self.doubtfulAfterDaysPastDue = doubtfulAfterDaysPastDue
        self.dsoPeriodDays = dsoPeriodDays
        self.dsoTrendMonths = dsoTrendMonths
    }

    /// Reads "30,60,90": whole days from 1 to 366, at least one, no repeats; sorted.
    public static func horizons(parsing text: String) -> [Int]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var days: [Int] = []
        for part in parts {
            guard let value = Int(part), (1...366).contains(value), !days.contains(value) else { return nil }
            days.append(value)
        }
        return days.isEmpty ? nil : days.sorted()
    }
}

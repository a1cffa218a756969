import Foundation
import PosPlusCore

/// Everything `posplus forecast` shows, computed once from the same inputs: the forecast by
/// horizon and week, DSO now and its trend, and the chase list.
public struct ReceivablesOutlook: Equatable, Sendable {
    public var forecast: CashFlowForecast
    public var dsoNow: DaysSalesOutstanding
    /// DSO at the last month-ends, oldest first.
    public var dsoTrend: [DaysSalesOutstanding]
    public var chase: [ChaseItem]
    public var histories: PaymentHistories
    /// The calendar every date was counted in.
    public var days: LocalDays

    /// - Parameters:
    ///   - invoices: open invoices and the last year's (paid or not), drafts left out.
    ///   - scheduled: inflows already on their way; payment plans add their instalments here.
    public init(
        invoices: [ReceivableInvoice], scheduled: [ScheduledInflow], asOf: Date, timeZone: TimeZone, currency: Currency,
        rules: ForecastRules = ForecastRules()
    ) throws(MoneyError) {
        let days = LocalDays(timeZone: timeZone)
        self.days = days
        histories = PaymentHistories(invoices: invoices, asOf: asOf, days: days)
        forecast = try CashFlowForecast(
            invoices: invoices, scheduled: scheduled, histories: histories, asOf: asOf, days: days, currency: currency, rules: rules)
        dsoNow = try DaysSalesOutstanding.measure(
            at: asOf, invoices: invoices, periodDays: rules.dsoPeriodDays, days: days, currency: currency)
        dsoTrend = try DaysSalesOutstanding.trend(
            endingBefore: asOf, months: rules.dsoTrendMonths, invoices: invoices, periodDays: rules.dsoPeriodDays, days: days,
            currency: currency)
        chase = try ChaseList.rank(invoices: invoices, scheduled: scheduled, histories: histories, asOf: asOf, days: days)
    }
}

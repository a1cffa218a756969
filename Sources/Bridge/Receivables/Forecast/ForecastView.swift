import Foundation
import PosPlusCore
import Receivables

/// The forecast as scripts and the console read it, field for field the same in the CLI's JSON
/// and the API's answer; only an amount's shape differs (`Amount`), as with ``PaymentView``.
/// Dates are the business's local dates (`"2026-12-10"`).
public struct ForecastView<Amount: Encodable & Sendable>: Encodable, Sendable {
    public struct Horizon: Encodable, Sendable {
        public var days: Int
        public var expected: Amount
    }

    public struct Week: Encodable, Sendable {
        public var start: String
        public var fromInvoices: Amount
        public var scheduled: Amount
        public var total: Amount
        public var cumulative: Amount
    }

    public struct Expected: Encodable, Sendable {
        public var date: String
        public var amount: Amount
        /// "invoice", or a scheduled kind ("pendingACH", "planInstalment", "other").
        public var source: String
        public var invoiceNumber: String?
        public var reference: String?
        public var clientName: String?
        public var reason: String
    }

    public struct DSO: Encodable, Sendable {
        public var date: String
        public var periodDays: Int
        public var receivables: Amount
        public var creditSales: Amount
        /// Tenths of a day (342 is 34.2 days); nil without credit sales in the period.
        public var tenthsOfDays: Int64?
        public var text: String
    }

    public struct Chase: Encodable, Sendable {
        public var invoiceID: String
        public var invoiceNumber: String
        public var clientName: String
        public var amount: Amount
        public var daysPastDue: Int
        public var reason: String
    }

    public struct Doubtful: Encodable, Sendable {
        public var invoiceNumber: String
        public var clientName: String
        public var balance: Amount
        public var reason: String
    }

    public var asOf: Date
    public var timeZone: String
    public var currency: String
    public var horizons: [Horizon]
    public var weeks: [Week]
    public var expected: [Expected]
    public var doubtful: [Doubtful]
    public var dsoNow: DSO
    public var dsoTrend: [DSO]
    public var chase: [Chase]
    public var businessMedianDaysToPay: Int?
    public var invoicesRead: Int
    public var leftOut: [String]

    public init(_ report: ForecastReport, amount: (Money) -> Amount) {
        let outlook = report.outlook
        let forecast = outlook.forecast
        let days = outlook.days
        asOf = forecast.asOf
        timeZone = days.timeZone.identifier
        currency = forecast.currency.code
        horizons = forecast.horizons.map { Horizon(days: $0.days, expected: amount($0.expected)) }
        weeks = forecast.weeks.map {
            Week(
                start: days.isoDate($0.start), fromInvoices: amount($0.fromInvoices), scheduled: amount($0.scheduled),
                total: amount($0.total),
                cumulative: amount($0.cumulative))
        }
        expected = forecast.expected.map { entry in
            switch entry.source {
            case .invoice(_, let number):
                return Expected(
                    date: days.isoDate(entry.date), amount: amount(entry.amount), source: "invoice", invoiceNumber: number, reference: nil,
                    clientName: entry.clientName, reason: entry.reason)
            case .scheduled(let kind, let reference):
                return Expected(
                    date: days.isoDate(entry.date), amount: amount(entry.amount), source: kind.rawValue, invoiceNumber: nil,
                    reference: reference, clientName: entry.clientName, reason: entry.reason)
            }
        }
        doubtful = forecast.doubtful.map {
            Doubtful(invoiceNumber: $0.number, clientName: $0.clientName, balance: amount($0.balance), reason: $0.reason)
        }
        func dso(_ point: DaysSalesOutstanding) -> DSO {
            DSO(
                date: days.isoDate(point.at), periodDays: point.periodDays, receivables: amount(point.receivables),
                creditSales: amount(point.creditSales), tenthsOfDays: point.tenths, text: point.text)
        }
        dsoNow = dso(outlook.dsoNow)
        dsoTrend = outlook.dsoTrend.map(dso)
        chase = outlook.chase.map {
            Chase(
                invoiceID: $0.invoiceID, invoiceNumber: $0.number, clientName: $0.clientName, amount: amount($0.amount),
                daysPastDue: $0.daysPastDue, reason: $0.reason)
        }
        businessMedianDaysToPay = forecast.businessMedianDaysToPay
        invoicesRead = report.invoicesRead
        leftOut = report.leftOut
    }
}

extension ForecastReport {
    /// The chart as SVG text.
    public var svg: String { ForecastChart().svg(outlook.forecast, days: outlook.days) }

    /// The forecast as a person reads it at a terminal: horizons, DSO now and its trend, the
    /// chase list with reasons, and what is not counted.
    public var text: String {
        let forecast = outlook.forecast
        let days = outlook.days
        var lines = ["Cash-flow forecast as of \(days.isoDate(forecast.asOf)) (\(days.timeZone.identifier))", ""]
        lines.append("Expected in:")
        for horizon in forecast.horizons { lines.append("  next \(horizon.days) days: \(horizon.expected.formatted)") }
        lines.append("")
        lines.append(
            "DSO now: \(outlook.dsoNow.text) (receivables \(outlook.dsoNow.receivables.formatted) over \(outlook.dsoNow.periodDays) days of sales, \(outlook.dsoNow.creditSales.formatted))"
        )
        if !outlook.dsoTrend.isEmpty {
            lines.append(
                "DSO at month-ends: "
                    + outlook.dsoTrend.map { "\(days.isoDate($0.at)) \($0.tenths.map { "\($0 / 10).\($0 % 10)" } ?? "n/a")" }.joined(
                        separator: ", "))
        }
        lines.append("")
        if outlook.chase.isEmpty {
            lines.append("Nothing past due to chase.")
        } else {
            lines.append("Chase first:")
            for (index, item) in outlook.chase.enumerated() {
                lines.append("  \(index + 1). #\(item.number) \(item.clientName): \(item.reason)")
            }
        }
        if !forecast.doubtful.isEmpty {
            lines.append("")
            lines.append("Not counted on:")
            for item in forecast.doubtful { lines.append("  \(item.reason)") }
        }
        if !leftOut.isEmpty {
            lines.append("")
            lines.append(
                "Left out of the history (marked paid in Jobber without payments covering them): #" + leftOut.joined(separator: ", #"))
        }
        return lines.joined(separator: "\n")
    }
}

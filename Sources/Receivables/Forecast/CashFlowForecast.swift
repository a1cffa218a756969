import Foundation
import PosPlusCore

/// Cash expected in over the coming days, from open invoices and scheduled inflows, exact to
/// the minor unit and explained line by line.
///
/// There are no probabilities: every open invoice's balance is expected **in full on one
/// date**, chosen by a rule a person can check (``ForecastRules``):
/// 1. What a ``ScheduledInflow`` pays on an invoice (a plan instalment, a pending ACH debit) is
///    expected on the inflow's date; only the rest of the balance is dated by history.
/// 2. The rest is expected on the issue date plus the client's median days to pay; a client
///    with no paid invoice gets the business-wide median; with no paid invoice at all, the due
///    date.
/// 3. If that date has passed, the invoice is later than the client usually is, and it is
///    expected ``ForecastRules/lateInvoiceExpectedInDays`` from today.
/// 4. A disputed invoice, or one more than ``ForecastRules/doubtfulAfterDaysPastDue`` days past
///    due, is doubtful: listed apart and not counted.
/// 5. A scheduled inflow whose date has passed (an ACH debit slow to settle) is expected today.
///
/// Horizon *h* totals what is expected on local days 0 to *h* − 1 (today is day 0). Weeks run
/// from today in 7-day steps, as many as the longest horizon needs.
public struct CashFlowForecast: Equatable, Sendable {
    public struct Horizon: Equatable, Sendable {
        public var days: Int
        public var expected: Money
    }

    public struct Week: Equatable, Sendable {
        /// 0 for the week starting today.
        public var index: Int
        /// Local midnight of its first day.
        public var start: Date
        public var fromInvoices: Money
        public var scheduled: Money
        public var total: Money
        /// Everything expected from today to the end of this week.
        public var cumulative: Money
    }

    public var asOf: Date
    public var currency: Currency
    public var horizons: [Horizon]
    public var weeks: [Week]
    /// Every expected inflow, by date (then invoice number or reference).
    public var expected: [ExpectedInflow]
    public var doubtful: [DoubtfulInvoice]
    /// The business-wide median days to pay (nil: no invoice has been paid yet).
    public var businessMedianDaysToPay: Int?

    /// - Parameters:
    ///   - invoices: every invoice known (open ones are forecast; all of them make the histories).
    ///   - histories: each client's history by client id, as ``PaymentHistories`` builds them.
    public init(
        invoices: [ReceivableInvoice], scheduled: [ScheduledInflow], histories: PaymentHistories, asOf: Date, days: LocalDays,
        currency: Currency, rules: ForecastRules = ForecastRules()
    ) throws(MoneyError) {
        self.asOf = asOf
        self.currency = currency
        businessMedianDaysToPay = histories.businessMedianDaysToPay
        let today = days.startOfDay(asOf)
        var expected: [ExpectedInflow] = []
        var doubtful: [DoubtfulInvoice] = []
        var scheduledByInvoice: [String: Money] = [:]

        for inflow in scheduled {
            let offset = max(0, days.between(today, inflow.date))
            if let id = inflow.invoiceID { scheduledByInvoice[id] = try (scheduledByInvoice[id] ?? .zero(currency)) + inflow.amount }
            let late = days.between(today, inflow.date) < 0 ? ", expected on \(days.isoDate(inflow.date)) and not settled yet" : ""
            expected.append(
                ExpectedInflow(
                    date: days.day(offset, after: today), dayOffset: offset, amount: inflow.amount,
                    source: .scheduled(inflow.kind, reference: inflow.reference), clientName: nil,
                    reason: "\(inflow.kind.displayName.capitalizedFirst) (\(inflow.reference))\(late)"))
        }

        for invoice in invoices where invoice.isOpen {
            try invoice.balance.requireSameCurrency(as: .zero(currency))
            let covered = scheduledByInvoice[invoice.id] ?? .zero(currency)
            let rest = try invoice.balance - covered
            guard rest.isPositive else { continue }
            let pastDue = days.between(invoice.dueOrIssued, today)
            if invoice.disputed || pastDue > rules.doubtfulAfterDaysPastDue {
                let why = invoice.disputed ? "in dispute" : "\(pastDue) days past due"
                doubtful.append(
                    DoubtfulInvoice(
                        invoiceID: invoice.id, number: invoice.number, clientName: invoice.clientName, balance: rest,
                        reason: "\(rest.formatted) on #\(invoice.number) is not counted on: \(why)"))
                continue
            }
            let dating = InvoiceDating(
                invoice: invoice, history: histories[invoice.clientID], histories: histories, today: today, days: days)
            let offset = dating.offset(rules: rules)
            expected.append(
                ExpectedInflow(
                    date: days.day(offset, after: today), dayOffset: offset, amount: rest,
                    source: .invoice(id: invoice.id, number: invoice.number),
                    clientName: invoice.clientName, reason: dating.reason(offset: offset, rules: rules)))
        }
        self.expected = expected.sorted { ($0.dayOffset, $0.sortKey) < ($1.dayOffset, $1.sortKey) }
        self.doubtful = doubtful.sorted { $0.number.numericOrder < $1.number.numericOrder }

        horizons = try rules.horizons.map { (horizon: Int) throws(MoneyError) -> Horizon in
            Horizon(days: horizon, expected: try Money.sum(expected.filter { $0.dayOffset < horizon }.map(\.amount), in: currency))
        }
        let weekCount = ((rules.horizons.max() ?? 0) + 6) / 7
        var weeks: [Week] = []
        var cumulative = Money.zero(currency)
        for index in 0..<weekCount {
            let inWeek = expected.filter { $0.dayOffset / 7 == index }
            let invoicesPart = try Money.sum(inWeek.filter { !$0.isScheduled }.map(\.amount), in: currency)
            let scheduledPart = try Money.sum(inWeek.filter(\.isScheduled).map(\.amount), in: currency)
            let total = try invoicesPart + scheduledPart
            cumulative = try cumulative + total
            weeks.append(
                Week(
                    index: index, start: days.day(7 * index, after: today), fromInvoices: invoicesPart, scheduled: scheduledPart,
                    total: total,
                    cumulative: cumulative))
        }
        self.weeks = weeks
    }
}

/// When one open invoice is expected, and the words for why (rules 2 and 3 of the forecast).
struct InvoiceDating {
    let invoice: ReceivableInvoice
    let history: ClientPaymentHistory?
    let histories: PaymentHistories
    let today: Date
    let days: LocalDays

    /// The days to pay the rule uses and where that figure comes from.
    var typical: (days: Int, source: String)? {
        if let median = history?.medianDaysToPay { return (median, "this client usually pays in \(median.days)") }
        if let median = histories.businessMedianDaysToPay {
            return (median, "no paid invoice from this client yet; the business's median is \(median.days)")
        }
        return nil
    }

    func offset(rules: ForecastRules) -> Int {
        let usual =
            typical.map { days.between(today, days.day($0.days, after: invoice.issued)) } ?? days.between(today, invoice.dueOrIssued)
        return usual < 0 ? rules.lateInvoiceExpectedInDays : usual
    }

    func reason(offset: Int, rules: ForecastRules) -> String {
        let age = days.between(invoice.issued, today)
        guard let typical else {
            return offset == rules.lateInvoiceExpectedInDays && days.between(today, invoice.dueOrIssued) < 0
                ? "No invoice has been paid yet to learn from, and it is past due: expected within \(offset.days) of chasing"
                : "No invoice has been paid yet to learn from: expected on its due date"
        }
        if age > typical.days {
            return "Issued \(age.days) ago and \(typical.source): later than usual, expected within \(rules.lateInvoiceExpectedInDays.days)"
        }
        return "Issued \(days.isoDate(invoice.issued)) and \(typical.source)"
    }
}

extension ExpectedInflow {
    var sortKey: String {
        switch source {
        case .invoice(_, let number): return "i" + number.numericOrder
        case .scheduled(_, let reference): return "s" + reference
        }
    }
}

extension Int {
    /// "1 day", "12 days".
    var days: String { self == 1 ? "1 day" : "\(self) days" }
}

extension String {
    /// Invoice numbers compared as numbers when they are ("999" before "1000").
    var numericOrder: String { allSatisfy(\.isNumber) ? String(repeating: "0", count: max(0, 12 - count)) + self : self }

    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

import Foundation
import PosPlusCore

/// An open invoice worth a call, and the reason in one sentence.
public struct ChaseItem: Equatable, Sendable {
    public var invoiceID: String
    public var number: String
    public var clientID: String
    public var clientName: String
    /// What is owed and not already on its way (a plan instalment, a pending ACH debit).
    public var amount: Money
    public var daysPastDue: Int
    /// What it is ranked by: amount in minor units × days past due ("money-days" waiting).
    public var weight: Int64
    /// "$820.00, 34 days past due; this client usually pays in 12 days".
    public var reason: String
}

/// Which invoices to chase first, and why.
///
/// Only invoices past due, not disputed (a dispute is resolved, not chased) and not already
/// covered by a scheduled inflow. Ranked by money-days — the amount times the days past due —
/// so a large invoice a little late and a small one very late are weighed on one scale that
/// a manager can redo by hand; ties go to the one due earlier, then the lower number.
public enum ChaseList {
    public static func rank(
        invoices: [ReceivableInvoice], scheduled: [ScheduledInflow], histories: PaymentHistories, asOf: Date, days: LocalDays
    ) throws(MoneyError) -> [ChaseItem] {
        var covered: [String: Money] = [:]
        for inflow in scheduled {
            guard let id = inflow.invoiceID else { continue }
            covered[id] = try (covered[id] ?? .zero(inflow.amount.currency)) + inflow.amount
        }
        var items: [ChaseItem] = []
        for invoice in invoices where invoice.isOpen && !invoice.disputed {
            let pastDue = days.between(invoice.dueOrIssued, asOf)
            guard pastDue > 0 else { continue }
            let onTheWay = covered[invoice.id] ?? .zero(invoice.balance.currency)
            let amount = try invoice.balance - onTheWay
            guard amount.isPositive else { continue }
            let (weight, overflow) = amount.minorUnits.multipliedReportingOverflow(by: Int64(pastDue))
            var reason = "\(amount.formatted), \(pastDue.days) past due"
            if onTheWay.isPositive { reason += " (\(onTheWay.formatted) more is already scheduled)" }
            reason += "; " + clientNote(histories[invoice.clientID], age: days.between(invoice.issued, asOf))
            items.append(
                ChaseItem(
                    invoiceID: invoice.id, number: invoice.number, clientID: invoice.clientID, clientName: invoice.clientName,
                    amount: amount,
                    daysPastDue: pastDue, weight: overflow ? .max : weight, reason: reason))
        }
        return items.sorted {
            ($0.weight, $0.daysPastDue, $1.number.numericOrder) > ($1.weight, $1.daysPastDue, $0.number.numericOrder)
        }
    }

    /// What the client's history says about this invoice.
    static func clientNote(_ history: ClientPaymentHistory?, age: Int) -> String {
        guard let history, let median = history.medianDaysToPay else { return "no paid invoice from this client yet" }
        var note = "this client usually pays in \(median.days)"
        if let longest = history.daysToPay.last, age > longest { note += ", and this one is older than any they have paid" }
        if let share = history.onTimePerMille {
            note += " (on time \(history.onTimeCount) of \(history.onTimeCount + history.lateCount), \(share / 10)%)"
        }
        return note
    }
}

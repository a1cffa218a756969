import Foundation
import Jobber
import PosPlusCore
import Receivables

/// A client's standing for a payment plan, read from their invoices in Jobber: the one
/// adapter behind ``PlanStandingSource`` today, kept in this file so the forecast's client
/// payment history can replace it in one place.
///
/// How it counts: an invoice that has come due (paid, or unpaid past its due date) counts
/// towards the on-time share; it is on time when its last payment was entered by the end of its
/// due day. Days to pay run from issue to the last payment. Jobber has no disputes, so a debt
/// written off (`bad_debt`) stands in for an open dispute. Drafts are not counted.
public enum JobberPlanStanding {
    static func source<C: Clock<Duration>>(
        _ invoices: @escaping @Sendable () throws -> JobberInvoices<C>, now: @escaping @Sendable () -> Date
    )
        -> PlanStandingSource
    {
        { clientID in standing(of: try await invoices().invoiceDates(clientID: clientID), now: now()) }
    }

    public static func standing(of invoices: [JobberInvoiceDates], now: Date) -> PlanEligibility.Standing {
        var counted = 0
        var cameDue = 0
        var onTime = 0
        var disputes = 0
        var days: [Int] = []
        for invoice in invoices.prefix(1_000) {
            switch invoice.status {
            case .draft, .unrecognized: continue
            case .badDebt:
                counted += 1
                disputes += 1
            case .paid:
                counted += 1
                guard let paid = invoice.paymentDates.max() else { continue }
                if let due = invoice.dueAt {
                    cameDue += 1
                    if paid <= due.addingTimeInterval(86_400) { onTime += 1 }
                }
                if let issued = invoice.issuedAt { days.append(max(0, Int(paid.timeIntervalSince(issued) / 86_400))) }
            case .awaitingPayment, .pastDue, .sentNotDue:
                counted += 1
                if let due = invoice.dueAt, due.addingTimeInterval(86_400) < now { cameDue += 1 }
            }
        }
        days.sort()
        return PlanEligibility.Standing(
            // At most 1,000 invoices are looked at, so the proportion is always in range.
            onTimeShare: (try? Proportion(onTime, of: cameDue)) ?? .empty,
            medianDaysToPay: days.isEmpty ? nil : days[(days.count - 1) / 2], openDisputes: disputes, invoiceCount: counted)
    }
}

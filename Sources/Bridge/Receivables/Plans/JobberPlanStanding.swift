import Foundation
import Jobber
import PosPlusCore
import Receivables

/// Where a client's payment history comes from, by their Jobber id (risk's new-client signal).
public typealias ClientHistorySource = @Sendable (_ clientID: String) async throws -> ClientPaymentHistory

/// A client's standing for a payment plan, read from their invoices in Jobber through the same
/// ``ClientPaymentHistory`` the forecast and the chase list use, so "paid on time" means one
/// thing everywhere: paid on or before the local due date; unpaid and past due is late; not yet
/// due is not decided. Days to pay run from issue to the last payment. Jobber has no disputes:
/// an invoice is disputed when a card dispute on one of its payments is open in the ledger, or
/// when its debt was written off (`bad_debt`). Drafts are not counted.
public enum JobberPlanStanding {
    /// - Parameter disputed: the Jobber ids of invoices with a card dispute open now.
    static func source<C: Clock<Duration>>(
        _ invoices: @escaping @Sendable () throws -> JobberInvoices<C>, disputed: @escaping @Sendable () throws -> Set<String>,
        now: @escaping @Sendable () -> Date, timeZone: TimeZone
    ) -> PlanStandingSource {
        { clientID in
            let jobber = try invoices()
            return standing(
                of: try await jobber.invoiceDates(clientID: clientID), disputed: try disputed(), now: now(),
                days: LocalDays(timeZone: timeZone))
        }
    }

    /// The client's history from Jobber, read the way plans read it: what risk's new-client
    /// signal counts, so a client plans call a good payer is not "new" to risk.
    static func historySource<C: Clock<Duration>>(
        _ invoices: @escaping @Sendable () throws -> JobberInvoices<C>, disputed: @escaping @Sendable () throws -> Set<String>,
        now: @escaping @Sendable () -> Date, timeZone: TimeZone
    ) -> ClientHistorySource {
        { clientID in
            let jobber = try invoices()
            return history(
                of: try await jobber.invoiceDates(clientID: clientID), disputed: try disputed(), now: now(),
                days: LocalDays(timeZone: timeZone))
        }
    }

    public static func history(of invoices: [JobberInvoiceDates], disputed: Set<String> = [], now: Date, days: LocalDays)
        -> ClientPaymentHistory
    {
        ClientPaymentHistory(invoices.prefix(1_000).compactMap { historyInvoice($0, disputed: disputed) }, asOf: now, days: days)
    }

    public static func standing(of invoices: [JobberInvoiceDates], disputed: Set<String> = [], now: Date, days: LocalDays)
        -> PlanEligibility.Standing
    {
        let history = history(of: invoices, disputed: disputed, now: now, days: days)
        let decided = history.onTimeCount + history.lateCount
        return PlanEligibility.Standing(
            // At most 1,000 invoices are looked at, so the proportion is always in range.
            onTimeShare: (try? Proportion(history.onTimeCount, of: decided)) ?? .empty, medianDaysToPay: history.medianDaysToPay,
            openDisputes: history.openDisputes, invoiceCount: history.invoicesCounted)
    }

    /// Jobber's invoice as the history reads it: its dates, and paid on its last payment's date
    /// once Jobber says paid. Nil for a draft, or one never issued.
    static func historyInvoice(_ invoice: JobberInvoiceDates, disputed: Set<String>) -> ClientPaymentHistory.Invoice? {
        switch invoice.status {
        case .draft, .unrecognized: return nil
        case .awaitingPayment, .pastDue, .sentNotDue, .paid, .badDebt: break
        }
        guard let issued = invoice.issuedAt else { return nil }
        return ClientPaymentHistory.Invoice(
            id: invoice.id, issued: issued, due: invoice.dueAt,
            // The history counts dates and invoices, never totals; this query reads no amounts.
            total: Money(minorUnits: 0, currency: .usd),
            paidAt: invoice.status == .paid ? invoice.paymentDates.max() : nil,
            disputed: invoice.status == .badDebt || disputed.contains(invoice.id))
    }
}

import Foundation
import PosPlusCore

/// An invoice as the forecast, DSO and chase rules read it: who owes it, when it was issued and
/// due, its total, what is still owed, and the payments made on it (for history and for what
/// was owed at a past month-end).
///
/// Filled from Jobber by Bridge, or by ``BusinessHistory`` for tests and the demo. Drafts are
/// not invoices yet and are left out by whoever builds these.
public struct ReceivableInvoice: Equatable, Sendable {
    /// A payment on the invoice: when it was entered and how much (positive).
    public struct Payment: Equatable, Sendable {
        public var date: Date
        public var amount: Money

        public init(date: Date, amount: Money) {
            self.date = date
            self.amount = amount
        }
    }

    public var id: String
    /// The number staff see (`1042`).
    public var number: String
    public var clientID: String
    public var clientName: String
    public var issued: Date
    /// nil: due on receipt (the issue date).
    public var due: Date?
    public var total: Money
    /// What is still owed and expected to be collected: Jobber's `invoiceBalance` for an open
    /// invoice; zero for one paid, or written off as bad debt (nobody forecasts it coming in).
    public var balance: Money
    /// Payments entered on it, in any order.
    public var payments: [Payment]
    /// The client disputes it: it is not chased and not counted on in the forecast.
    public var disputed: Bool

    public init(
        id: String, number: String, clientID: String, clientName: String, issued: Date, due: Date?, total: Money, balance: Money,
        payments: [Payment] = [], disputed: Bool = false
    ) {
        self.id = id
        self.number = number
        self.clientID = clientID
        self.clientName = clientName
        self.issued = issued
        self.due = due
        self.total = total
        self.balance = balance
        self.payments = payments
        self.disputed = disputed
    }

    /// The due date, or the issue date for an invoice due on receipt.
    public var dueOrIssued: Date { due ?? issued }

    /// Whether something is still owed on it.
    public var isOpen: Bool { balance.isPositive }

    /// When its payments first covered the total (nil while they do not).
    public var paidAt: Date? {
        var paid: Int64 = 0
        for payment in payments.sorted(by: { $0.date < $1.date }) {
            paid = paid.addingReportingOverflow(payment.amount.minorUnits).partialValue
            if paid >= total.minorUnits { return payment.date }
        }
        return nil
    }

    /// What was owed on it at `moment`: nothing before it was issued, then the total less the
    /// payments entered by then (never below zero).
    public func owed(at moment: Date) throws(MoneyError) -> Money {
        guard issued <= moment else { return .zero(total.currency) }
        var owed = total
        for payment in payments where payment.date <= moment { owed = try owed - payment.amount }
        return owed.isNegative ? .zero(total.currency) : owed
    }

    /// The invoice as ``ClientPaymentHistory`` counts it.
    public var historyEntry: ClientPaymentHistory.Invoice {
        ClientPaymentHistory.Invoice(id: id, issued: issued, due: due, total: total, paidAt: paidAt, disputed: disputed)
    }
}

/// Money expected on a known date that is not an invoice waiting to be paid: a payment plan's
/// instalment, an ACH debit already sent and not yet settled.
///
/// The seam for payment plans: they hand their scheduled instalments in here. When an inflow
/// names an invoice, that much of the invoice's balance is forecast by the inflow instead of
/// by the client's history, so nothing is counted twice.
public struct ScheduledInflow: Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// An instalment of an accepted payment plan, due on `date`.
        case planInstalment
        /// An ACH debit sent and pending; `date` is when it is expected to settle.
        case pendingACH
        /// Anything else a caller knows about (a promised cheque).
        case other

        /// Words for the reason and the chart legend.
        public var displayName: String {
            switch self {
            case .planInstalment: return "plan instalment"
            case .pendingACH: return "pending ACH debit"
            case .other: return "scheduled payment"
            }
        }
    }

    public var date: Date
    public var amount: Money
    public var kind: Kind
    /// Where it comes from, as staff would look it up ("payment 42", "plan 7 instalment 2").
    public var reference: String
    /// The Jobber invoice id it pays, when it pays one.
    public var invoiceID: String?

    public init(date: Date, amount: Money, kind: Kind, reference: String, invoiceID: String? = nil) {
        self.date = date
        self.amount = amount
        self.kind = kind
        self.reference = reference
        self.invoiceID = invoiceID
    }
}

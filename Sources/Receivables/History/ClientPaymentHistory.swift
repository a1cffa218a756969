import Foundation
import PosPlusCore

/// How a client has paid their invoices: counts, the share paid on time, days to pay and days
/// late, and open disputes — the facts a person looks at before offering credit.
///
/// Used by the cash-flow forecast (when will this client's open invoice come in?), the chase
/// list (is this invoice later than this client usually is?) and payment-plan eligibility
/// (does this client qualify?). It is deliberately plain: every figure is a count or a whole
/// number of local days (``LocalDays``), so a manager can check it against the invoices.
///
/// Rules, stated so they can be argued with:
/// - An invoice is **paid** on the local date its payments first covered its total
///   (``Invoice/paidAt``); a partly paid invoice is not paid.
/// - **Days to pay** runs from the issue date to the paid date. **Days late** runs from the due
///   date to the paid date, and only counts when positive.
/// - **On time** means paid on or before the due date. An invoice with no due date is due on
///   its issue date ("upon receipt", Jobber's net 0). An unpaid invoice already past due at
///   `asOf` counts as late (it cannot be on time any more); one not yet due is not decided and
///   is left out of the share.
/// - Medians of an even count are the mean of the two middle values, rounded half up.
public struct ClientPaymentHistory: Equatable, Sendable {
    /// One invoice as the history needs it. General on purpose: any source (Jobber, the
    /// generated year, a test) can fill it in.
    public struct Invoice: Equatable, Sendable {
        public var id: String
        public var issued: Date
        /// nil: due on receipt (the issue date).
        public var due: Date?
        public var total: Money
        /// When its payments first covered the total; nil while any of it is unpaid.
        public var paidAt: Date?
        /// The client disputes this invoice (a chargeback, or staff's flag) and it is not resolved.
        public var disputed: Bool

        public init(id: String, issued: Date, due: Date?, total: Money, paidAt: Date?, disputed: Bool = false) {
            self.id = id
            self.issued = issued
            self.due = due
            self.total = total
            self.paidAt = paidAt
            self.disputed = disputed
        }
    }

    /// Invoices the history was built from.
    public var invoicesCounted: Int
    /// Of those, fully paid.
    public var paidCount: Int
    /// Paid on or before the due date.
    public var onTimeCount: Int
    /// Paid after the due date, or unpaid and past due at `asOf`.
    public var lateCount: Int
    /// Days from issue to payment of each paid invoice, smallest first.
    public var daysToPay: [Int]
    /// Days after the due date of each invoice paid late, smallest first.
    public var daysLate: [Int]
    /// Invoices flagged as disputed.
    public var openDisputes: Int

    /// - Parameters:
    ///   - invoices: the client's invoices (any order; drafts should be left out by the caller).
    ///   - asOf: the moment the history is read at: unpaid invoices past due by then are late.
    ///   - days: the business's calendar.
    public init(_ invoices: [Invoice], asOf: Date, days: LocalDays) {
        invoicesCounted = invoices.count
        var toPay: [Int] = []
        var late: [Int] = []
        var onTime = 0
        var lateCount = 0
        for invoice in invoices {
            let due = invoice.due ?? invoice.issued
            if let paid = invoice.paidAt {
                toPay.append(max(0, days.between(invoice.issued, paid)))
                let overdue = days.between(due, paid)
                if overdue > 0 {
                    late.append(overdue)
                    lateCount += 1
                } else {
                    onTime += 1
                }
            } else if days.between(due, asOf) > 0 {
                lateCount += 1
            }
        }
        paidCount = toPay.count
        onTimeCount = onTime
        self.lateCount = lateCount
        daysToPay = toPay.sorted()
        daysLate = late.sorted()
        openDisputes = invoices.filter(\.disputed).count
    }

    /// Whether any invoice has been paid: without one there is nothing to learn days to pay from.
    public var hasPaymentHistory: Bool { paidCount > 0 }

    /// Share of decided invoices (on time + late) that were paid on time, in per mille, rounded
    /// down; nil when none is decided yet.
    public var onTimePerMille: Int? {
        let decided = onTimeCount + lateCount
        return decided == 0 ? nil : onTimeCount * 1000 / decided
    }

    /// The median of ``daysToPay``; nil without a paid invoice.
    public var medianDaysToPay: Int? { Self.median(daysToPay) }

    /// The mean of ``daysToPay``, rounded half up to a whole day; nil without a paid invoice.
    public var meanDaysToPay: Int? { Self.mean(daysToPay) }

    /// The median of ``daysLate`` over invoices paid late; nil when none was.
    public var medianDaysLate: Int? { Self.median(daysLate) }

    /// The mean of ``daysLate``, rounded half up; nil when no invoice was paid late.
    public var meanDaysLate: Int? { Self.mean(daysLate) }

    /// The most days any invoice was paid after its due date; 0 when none was late.
    public var maxDaysLate: Int { daysLate.last ?? 0 }

    /// The median of whole numbers: the middle one, or the mean of the two middle ones rounded
    /// half up. `values` need not be sorted.
    public static func median(_ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[middle] }
        return halfUp(sorted[middle - 1] + sorted[middle], over: 2)
    }

    static func mean(_ values: [Int]) -> Int? {
        values.isEmpty ? nil : halfUp(values.reduce(0, +), over: values.count)
    }

    /// `numerator / denominator` rounded half up, for non-negative numerators.
    static func halfUp(_ numerator: Int, over denominator: Int) -> Int {
        (2 * numerator + denominator) / (2 * denominator)
    }
}

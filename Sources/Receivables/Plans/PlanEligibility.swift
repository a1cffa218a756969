import PosPlusCore

/// Who may be offered a payment plan: rules a manager can read, each refusal said in words.
///
/// A plan lends the client time; the rules ask whether the client has earned it. The numbers
/// come from the client's history (``Standing``), which whoever calls builds from Jobber or the
/// ledger; this type only judges them, so the rules are tested without either.
public struct PlanEligibility: Equatable, Sendable {
    /// What the rules look at in a client's history.
    public struct Standing: Equatable, Sendable {
        /// Invoices paid by their due date, of those that have come due.
        public var onTimeShare: Proportion
        /// The median days from an invoice's issue to its payment; nil when nothing was paid.
        public var medianDaysToPay: Int?
        /// Disputes (or debts written off) not settled: any one stops a plan.
        public var openDisputes: Int
        /// Invoices the history covers.
        public var invoiceCount: Int

        public init(onTimeShare: Proportion, medianDaysToPay: Int?, openDisputes: Int, invoiceCount: Int) {
            self.onTimeShare = onTimeShare
            self.medianDaysToPay = medianDaysToPay
            self.openDisputes = openDisputes
            self.invoiceCount = invoiceCount
        }

        /// "Client has paid 9 of 10 invoices on time, median 6 days; no open disputes".
        public var sentence: String {
            let median = medianDaysToPay.map { ", median \($0) \($0 == 1 ? "day" : "days")" } ?? ""
            let disputes =
                openDisputes == 0 ? "no open disputes" : "\(openDisputes) open \(openDisputes == 1 ? "dispute" : "disputes")"
            return "Client has paid \(onTimeShare.part) of \(onTimeShare.whole) invoices on time\(median); \(disputes)"
        }
    }

    /// The verdict on one invoice and client.
    public enum Verdict: Equatable, Sendable {
        case qualifies(reason: String)
        case refused(reason: String)

        public var reason: String {
            switch self {
            case .qualifies(let reason), .refused(let reason): reason
            }
        }
    }

    /// A balance must be over this (`plans.min_amount`).
    public var minimumAmount: Money
    /// At least this share of invoices paid on time.
    public var minimumOnTime: Proportion
    /// A median of at most this many days to pay.
    public var maximumMedianDays: Int
    /// At least this many invoices of history: a new client has not shown how they pay.
    public var minimumInvoices: Int

    public init(minimumAmount: Money, minimumOnTime: Proportion, maximumMedianDays: Int = 30, minimumInvoices: Int = 3) {
        self.minimumAmount = minimumAmount
        self.minimumOnTime = minimumOnTime
        self.maximumMedianDays = maximumMedianDays
        self.minimumInvoices = minimumInvoices
    }

    /// The defaults: over $500 (in `currency`), 80% on time, a median of 30 days, 3 invoices.
    public static func standard(in currency: Currency) -> PlanEligibility {
        // 50_000 minor units is $500.00 in a two-decimal currency, and 50,000 of a zero-decimal one.
        PlanEligibility(minimumAmount: Money(minorUnits: 50_000, currency: currency), minimumOnTime: Proportion(checked: 80, of: 100))
    }

    /// Whether a plan may be offered on `balance` to a client with `standing`, and why. The
    /// first rule broken is the reason given; a qualifying client's reason is their history.
    public func judge(balance: Money, invoiceNumber: String, standing: Standing) -> Verdict {
        guard balance.currency == minimumAmount.currency, balance.minorUnits > minimumAmount.minorUnits else {
            return .refused(
                reason: "Invoice #\(invoiceNumber)'s balance \(balance.formatted) is not over the plan minimum \(minimumAmount.formatted).")
        }
        guard standing.openDisputes == 0 else {
            return .refused(reason: "\(standing.sentence). A client with an open dispute is not offered a plan.")
        }
        guard standing.invoiceCount >= minimumInvoices else {
            return .refused(
                reason: "Client has \(standing.invoiceCount) \(standing.invoiceCount == 1 ? "invoice" : "invoices") of history; "
                    + "a plan needs at least \(minimumInvoices).")
        }
        guard standing.onTimeShare.isAtLeast(minimumOnTime) else {
            return .refused(reason: "\(standing.sentence). A plan needs at least \(minimumOnTime) paid on time.")
        }
        if let median = standing.medianDaysToPay, median > maximumMedianDays {
            return .refused(reason: "\(standing.sentence). A plan needs a median of \(maximumMedianDays) days or fewer.")
        }
        return .qualifies(reason: standing.sentence + ".")
    }
}

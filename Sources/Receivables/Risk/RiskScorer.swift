import Foundation
import PosPlusCore

/// Scores a charge or link on simple signals a manager can read (issue 13, part 4): pure, no
/// I/O, the same answer for the same request and history. The score is the sum of the fired
/// signals' weights; what happens at which score is the caller's rule (`risk.mode`, `risk.hold_at`).
///
/// Every comparison is on integer minor units; amounts in another currency than the request's
/// are left out of the history rather than compared.
public struct RiskScorer: Sendable {
    public var rules: RiskRules

    public init(rules: RiskRules = RiskRules()) { self.rules = rules }

    public func assess(_ request: RiskRequest, history: RiskHistory) -> RiskAssessment {
        let approved = history.approvedAmounts.filter { $0.currency == request.amount.currency && $0.isPositive }
        let signals = [
            newClient(request, approved: approved, jobber: history.jobber),
            cardTesting(request, history.recentCharges),
            keyedEntry(request),
            cardDeclinedElsewhere(request, history.cardDeclines),
            aboveUsual(request, approved: approved),
        ].compactMap { $0 }
        return RiskAssessment(signals: signals)
    }

    private func money(_ minor: Int64, like amount: Money) -> String { Money(minorUnits: minor, currency: amount.currency).formatted }

    private func signal(_ kind: RiskSignal.Kind, _ sentence: String) -> RiskSignal {
        RiskSignal(kind: kind, weight: rules.weights[kind], sentence: sentence)
    }

    /// No approved payment on record — in posplus's ledger, nor (when it was read) a paid
    /// invoice in Jobber — and more than the new-client limit. The sentence says what was counted.
    func newClient(_ request: RiskRequest, approved: [Money], jobber: ClientPaymentHistory?) -> RiskSignal? {
        guard approved.isEmpty, request.amount.minorUnits > rules.newClientLimitMinor else { return nil }
        if let jobber, jobber.paidCount > 0 { return nil }
        let counted =
            jobber.map {
                ", nor a paid invoice in Jobber (\($0.invoicesCounted) invoice\($0.invoicesCounted == 1 ? "" : "s") there, none paid)"
            } ?? ""
        return signal(
            .newClient,
            "new client: no earlier payment on record\(counted), and \(request.amount.formatted) is over the "
                + "\(money(rules.newClientLimitMinor, like: request.amount)) new-client limit")
    }

    /// This charge is small, and with the client's other small charges inside the window it
    /// makes the count. A large charge never fires it: card testing is cheap tries.
    func cardTesting(_ request: RiskRequest, _ recent: [RiskHistory.Charge]) -> RiskSignal? {
        let small = rules.smallChargeMinor
        guard request.amount.minorUnits <= small else { return nil }
        let since = request.at.addingTimeInterval(-rules.smallChargeWindow.timeInterval)
        let earlier = recent.filter {
            $0.amount.currency == request.amount.currency && $0.amount.minorUnits <= small && $0.at >= since && $0.at <= request.at
        }
        let count = earlier.count + 1
        guard count >= rules.smallChargeCount else { return nil }
        return signal(
            .cardTesting,
            "several small charges: this is charge \(count) of \(money(small, like: request.amount)) or less on this client "
                + "within \(Self.words(rules.smallChargeWindow)), which is how stolen cards are tried out")
    }

    /// Keyed by hand, above the keyed limit.
    func keyedEntry(_ request: RiskRequest) -> RiskSignal? {
        guard request.isKeyed, request.amount.minorUnits > rules.keyedLimitMinor else { return nil }
        return signal(
            .keyedEntry,
            "keyed entry: \(request.amount.formatted) typed in by hand is over the "
                + "\(money(rules.keyedLimitMinor, like: request.amount)) keyed limit")
    }

    /// The same card declined on another client within the lookback. Matched on brand and last
    /// four only — all the ledger keeps — so it can name a different card with the same ending:
    /// a reason to ask, which is all a hold does.
    func cardDeclinedElsewhere(_ request: RiskRequest, _ declines: [RiskHistory.Decline]) -> RiskSignal? {
        guard let card = request.card else { return nil }
        let since = request.at.addingTimeInterval(-rules.declinedCardLookback.timeInterval)
        let found = declines.filter { $0.clientID != request.clientID && $0.at >= since && $0.at <= request.at }
            .sorted { $0.at > $1.at }
        guard let newest = found.first else { return nil }
        let times = found.count == 1 ? "was declined" : "was declined \(found.count) times"
        return signal(
            .cardDeclinedElsewhere,
            "card declined on another client: \(card.brand) •••• \(card.last4) \(times) for another client "
                + "within \(Self.words(rules.declinedCardLookback)) (latest: payment \(newest.paymentID))")
    }

    /// At least the multiple of the median of the client's approved payments, once there are
    /// enough of them to say what usual is.
    func aboveUsual(_ request: RiskRequest, approved: [Money]) -> RiskSignal? {
        guard approved.count >= rules.usualMinimumPayments else { return nil }
        let sorted = approved.map(\.minorUnits).sorted()
        let middle = sorted.count / 2
        // Twice the median, exactly: the mean of the two middle values for an even count.
        let doubleMedian =
            sorted.count.isMultiple(of: 2)
            ? sorted[middle - 1].addingReportingOverflow(sorted[middle]) : sorted[middle].multipliedReportingOverflow(by: 2)
        let threshold = doubleMedian.partialValue.multipliedReportingOverflow(by: rules.usualMultiple)
        let doubleAmount = request.amount.minorUnits.multipliedReportingOverflow(by: 2)
        guard !doubleMedian.overflow, !threshold.overflow, !doubleAmount.overflow, doubleMedian.partialValue > 0,
            doubleAmount.partialValue >= threshold.partialValue
        else { return nil }
        let median = doubleMedian.partialValue / 2
        return signal(
            .aboveUsual,
            "far above usual: \(request.amount.formatted) is \(Self.times(doubleAmount.partialValue, over: doubleMedian.partialValue)) "
                + "this client's usual \(money(median, like: request.amount)) (the median of \(approved.count) approved payments; "
                + "\(rules.usualMultiple)× or more is unusual)")
    }

    /// "3.5×", to one decimal, rounded down: never overstates.
    static func times(_ amount: Int64, over base: Int64) -> String {
        let tenths = amount.multipliedReportingOverflow(by: 10)
        guard !tenths.overflow, base > 0 else { return "many times" }
        let value = tenths.partialValue / base
        return "\(value / 10).\(value % 10)×"
    }

    /// "10 minutes", "3 days", "2 hours", "90 seconds".
    static func words(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        func plural(_ count: Int64, _ unit: String) -> String { "\(count) \(unit)\(count == 1 ? "" : "s")" }
        if seconds % 86_400 == 0 { return plural(seconds / 86_400, "day") }
        if seconds % 3_600 == 0 { return plural(seconds / 3_600, "hour") }
        if seconds % 60 == 0 { return plural(seconds / 60, "minute") }
        return plural(seconds, "second")
    }
}

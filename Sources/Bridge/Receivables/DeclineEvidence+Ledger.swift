import Ledger
import PosPlusCore
import Receivables

extension DeclineEvidence {
    /// The evidence of a declined payment (or a returned bank debit) as the ledger keeps it;
    /// nil for any other state.
    ///
    /// What the ledger keeps decides how much can be known:
    /// - a terminal decline: the attempt's POSLink `resultCode` and the payment's `message`
    ///   (`DECLINE: host words`); the host code itself is not stored;
    /// - a returned ACH debit: the return reason in `message` (Stripe's `failure_code`, or its
    ///   words when it gave no code);
    /// - a Stripe card decline: only `GatewayDecline.description` reaches `message`, not the
    ///   decline code. Three of its sentences name the reason; any other text (Stripe words a
    ///   stolen card as "Your card was declined.") stays unknown, so hard: never retried.
    public init?(payment: PaymentRecord, attempts: [AttemptRecord]) {
        switch payment.state {
        case .returned where payment.operation.rail == .ach:
            self = .bankReturn(code: payment.message ?? "")
        case .declined:
            if let attempt = attempts.last(where: { $0.resultCode != nil }) {
                self = .terminal(resultCode: attempt.resultCode, message: payment.message)
            } else if payment.operation.rail == .ach {
                self = .bankReturn(code: payment.message ?? "")
            } else {
                let channel: CardChannel = payment.operation == .tokenSale ? .savedCard : .link
                self = .card(code: nil, declineCode: Self.stripeCode(describedBy: payment.message ?? ""), via: channel)
            }
        default:
            return nil
        }
    }

    /// The decline code behind the sentences `GatewayDecline.description` writes.
    static func stripeCode(describedBy message: String) -> String? {
        if message.hasPrefix("Insufficient funds.") { return "insufficient_funds" }
        if message.hasPrefix("The card has expired.") { return "expired_card" }
        if message.hasPrefix("The bank wants the customer to approve") { return "authentication_required" }
        return nil
    }
}

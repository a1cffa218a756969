import Ledger
import PosPlusCore
import Receivables

extension DeclineEvidence {
    /// The evidence of a declined payment (or a returned bank debit) as the ledger keeps it;
    /// nil for any other state.
    ///
    /// The codes stored with the attempt decide: for a terminal decline the POSLink
    /// `resultCode` and the host's code (its words in the payment's `message` only help when
    /// there is no code); for a Stripe card decline its `code` and `decline_code`. Attempts
    /// recorded before the codes were kept have none: then the sentences
    /// `GatewayDecline.description` writes are read back, and anything else (Stripe words a
    /// stolen card as "Your card was declined.") stays unknown, so hard: never retried.
    /// A returned ACH debit keeps its return reason in `message` (Stripe's `failure_code`, or
    /// its words when it gave no code).
    public init?(payment: PaymentRecord, attempts: [AttemptRecord]) {
        switch payment.state {
        case .returned where payment.operation.rail == .ach:
            self = .bankReturn(code: payment.message ?? "")
        case .declined:
            if let attempt = attempts.last(where: { $0.resultCode != nil }) {
                self = .terminal(resultCode: attempt.resultCode, message: payment.message, hostCode: attempt.hostCode)
            } else if payment.operation.rail == .ach {
                self = .bankReturn(code: payment.message ?? "")
            } else {
                let channel: CardChannel = payment.operation == .tokenSale ? .savedCard : .link
                let answered = attempts.last(where: { $0.outcome == .declined })
                let code = answered?.gatewayCode
                let declineCode = answered?.gatewayDeclineCode
                if code == nil, declineCode == nil {
                    self = .card(code: nil, declineCode: Self.stripeCode(describedBy: payment.message ?? ""), via: channel)
                } else {
                    self = .card(code: code, declineCode: declineCode, via: channel)
                }
            }
        default:
            return nil
        }
    }

    /// The decline code behind the sentences `GatewayDecline.description` writes: only for
    /// attempts stored before the codes were.
    static func stripeCode(describedBy message: String) -> String? {
        if message.hasPrefix("Insufficient funds.") { return "insufficient_funds" }
        if message.hasPrefix("The card has expired.") { return "expired_card" }
        if message.hasPrefix("The bank wants the customer to approve") { return "authentication_required" }
        return nil
    }
}

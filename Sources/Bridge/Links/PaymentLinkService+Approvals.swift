import Foundation
import Ledger
import PosPlusCore

extension PaymentLinkService {
    /// The approval step of sending a link: returns when a link of `amount` may go out, and
    /// otherwise throws ``ApprovalHold`` having sent nothing (no link at the processor, no
    /// message). Checked after the invoice's own checks, so a manager is never asked about a
    /// link that would be refused anyway.
    ///
    /// The request is held under the caller's key (a fresh one when none was given), the key the
    /// link is then sent under once approved (``ApprovalDesk``): approving twice, or again after
    /// a crash, finds the link that key already made.
    func requireApproval(
        of held: HeldLink, amount: Money, summary: String, invoiceNumber: String?, by actor: String, key: IdempotencyKey?
    ) throws {
        guard let reason = approvalThresholds.reason(for: .link(amount)) else { return }
        try ApprovalGate(ledger: ledger, logger: nil).require(
            NewApproval(
                idempotencyKey: try key ?? IdempotencyKey("link-\(UUID().uuidString.lowercased())"), kind: .link, summary: summary,
                reason: reason, amount: amount, channel: GatewayChannel.linkChannelName(of: gateway.name), orderJSON: try held.json(),
                invoiceNumber: invoiceNumber),
            by: actor)
    }

    /// How a held link reads in the queue: what, how much, for what, to whom.
    static func summary(_ amount: Money, for purpose: String, to recipient: Recipient) -> String {
        switch recipient {
        case .sms(let phone): "payment link for \(amount.formatted) on \(purpose), texted to \(phone.e164)"
        case .email(let address): "payment link for \(amount.formatted) on \(purpose), emailed to \(address.value)"
        }
    }
}

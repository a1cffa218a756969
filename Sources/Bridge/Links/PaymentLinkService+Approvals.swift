import Foundation
import Ledger
import PosPlusCore
import Receivables

extension PaymentLinkService {
    /// The approval step of sending a link: returns when a link of `amount` may go out, and
    /// otherwise throws ``ApprovalHold`` having sent nothing (no link at the processor, no
    /// message). Checked after the invoice's own checks, so a manager is never asked about a
    /// link that would be refused anyway.
    ///
    /// Two rules, one approval: `approvals.link_over`, and the risk signals of a request for
    /// `clientID` (`risk.mode`; a link's card is typed at the processor, so only the amount and
    /// the client's record are scored). The request is held under the caller's key (a fresh one
    /// when none was given), the key the link is then sent under once approved
    /// (``ApprovalDesk``): approving twice, or again after a crash, finds the link that key
    /// already made, and an approved link is not held again by the same signals.
    func requireApproval(
        of held: HeldLink, amount: Money, summary: String, invoiceNumber: String?, clientID: String?, by actor: String,
        key: IdempotencyKey?
    ) async throws {
        let heldKey = try key ?? IdempotencyKey("link-\(UUID().uuidString.lowercased())")
        let channel = GatewayChannel.linkChannelName(of: gateway.name)
        let request = clientID.map { RiskRequest(amount: amount, clientID: $0, at: ledger.now()) }
        let jobber = await RiskScreen.jobberHistory(for: request, settings: risk, source: clientHistory)
        try RiskScreen(ledger: ledger, settings: risk, logger: nil, jobber: jobber).require(
            request,
            threshold: approvalThresholds.reason(for: .link(amount)),
            approval: { reason in
                NewApproval(
                    idempotencyKey: heldKey, kind: .link, summary: summary, reason: reason, amount: amount, channel: channel,
                    orderJSON: try held.json(), invoiceNumber: invoiceNumber)
            }, by: actor,
            context: [
                "invoice": AuditValue(invoiceNumber), "quote": AuditValue(held.quoteID), "key": .text(heldKey.rawValue),
                "channel": .text(channel),
            ])
    }

    /// How a held link reads in the queue: what, how much, for what, to whom.
    static func summary(_ amount: Money, for purpose: String, to recipient: Recipient) -> String {
        switch recipient {
        case .sms(let phone): "payment link for \(amount.formatted) on \(purpose), texted to \(phone.e164)"
        case .email(let address): "payment link for \(amount.formatted) on \(purpose), emailed to \(address.value)"
        }
    }
}

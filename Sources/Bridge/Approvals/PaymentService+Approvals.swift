import Foundation
import Ledger
import PosPlusCore

extension PaymentService {
    /// The approval step of ``perform(_:on:by:idempotencyKey:)``: returns when `order` may go
    /// ahead, and otherwise throws ``ApprovalHold`` with nothing recorded but the request.
    ///
    /// The request is held under the caller's idempotency key. Once a manager approves it, the
    /// order runs under that same key (``ApprovalDesk``) and passes here — as long as it is the
    /// order that was approved, for the amount that was approved (a full-balance charge whose
    /// balance has changed since must be asked again).
    func requireApproval(
        _ rule: ApprovalThresholds.Request, of order: Order, kind: ApprovalRecord.Kind, amount: Money, summary: String,
        paymentID: Int64? = nil, invoiceNumber: String?, on channel: any PaymentChannel, by actor: String, key: IdempotencyKey
    ) throws {
        guard let reason = approvalThresholds.reason(for: rule) else { return }
        let orderJSON = try HeldOrder(order).json()
        if let held = try ledger.approval(idempotencyKey: key) {
            guard held.orderJSON == orderJSON, held.channel == channel.name else {
                throw LedgerError.approvalRefused(
                    "Key \(key) already names approval \(held.id) (\(held.summary)); use a new key for a new request.")
            }
            switch held.state {
            case .waiting: throw ApprovalHold.waiting(held)
            case .denied: throw ApprovalHold.denied(held)
            case .approved:
                guard held.amount == amount else {
                    throw LedgerError.approvalRefused(
                        "Approval \(held.id) was for \(held.amount.formatted); the amount is \(amount.formatted) now, so it must be asked again "
                            + "with a new key.")
                }
                return
            }
        }
        let held = try ledger.holdForApproval(
            NewApproval(
                idempotencyKey: key, kind: kind, summary: summary, reason: reason, amount: amount, channel: channel.name,
                orderJSON: orderJSON, paymentID: paymentID, invoiceNumber: invoiceNumber),
            actor: actor)
        logger.notice("held for approval", metadata: ["approval": "\(held.id)", "reason": "\(reason)"])
        throw ApprovalHold.waiting(held)
    }
}

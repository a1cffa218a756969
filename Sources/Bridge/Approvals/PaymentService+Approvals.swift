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
        try ApprovalGate(ledger: ledger, logger: logger).require(
            NewApproval(
                idempotencyKey: key, kind: kind, summary: summary, reason: reason, amount: amount, channel: channel.name,
                orderJSON: try HeldOrder(order).json(), paymentID: paymentID, invoiceNumber: invoiceNumber),
            by: actor)
    }
}

import Ledger
import Logging
import PosPlusCore

/// The one rule every held request follows, whether it is a payment (``PaymentService``) or a
/// payment link (``PaymentLinkService``): under the caller's key, a request is held once; asked
/// again it waits, or is refused once denied; once approved it goes ahead — but only the request
/// that was approved, for the amount that was approved.
///
/// Kept in one place so that a link and a refund cannot drift apart on what "approved" means.
struct ApprovalGate {
    let ledger: Ledger
    let logger: Logger?

    /// Returns when `request` may go ahead (approved earlier under its key); otherwise holds it,
    /// or finds it held, and throws ``ApprovalHold`` with nothing sent.
    func require(_ request: NewApproval, by actor: String) throws {
        let key = request.idempotencyKey
        if let held = try ledger.approval(idempotencyKey: key) {
            guard held.orderJSON == request.orderJSON, held.channel == request.channel else {
                throw LedgerError.approvalRefused(
                    "Key \(key) already names approval \(held.id) (\(held.summary)); use a new key for a new request.")
            }
            switch held.state {
            case .waiting: throw ApprovalHold.waiting(held)
            case .denied: throw ApprovalHold.denied(held)
            case .approved:
                guard held.amount == request.amount else {
                    throw LedgerError.approvalRefused(
                        "Approval \(held.id) was for \(held.amount.formatted); the amount is \(request.amount.formatted) now, so it must be "
                            + "asked again with a new key.")
                }
                return
            }
        }
        let held = try ledger.holdForApproval(request, actor: actor)
        logger?.notice("held for approval", metadata: ["approval": "\(held.id)", "reason": "\(held.reason)"])
        throw ApprovalHold.waiting(held)
    }
}

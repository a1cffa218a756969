import Foundation
import Ledger
import PosPlusCore

/// Where a manager decides held requests (the CLI's `posplus approvals` and the console both
/// come here). Approving runs the request as it was asked, through the one payment path, under
/// the key it was held with: approving again after a crash carries on the same payment.
public struct ApprovalDesk<C: Clock<Duration>>: Sendable {
    public let ledger: Ledger
    public let service: PaymentService<C>
    /// The channel a held request named, by name (a terminal or a processor).
    public let channel: @Sendable (String) throws -> any PaymentChannel

    public init(ledger: Ledger, service: PaymentService<C>, channel: @escaping @Sendable (String) throws -> any PaymentChannel) {
        self.ledger = ledger
        self.service = service
        self.channel = channel
    }

    /// Approves request `id` as `manager` (who must hold the approve permission and not be the
    /// requester) and runs it; an approved request whose run was cut short is run again.
    /// The payment is recorded as the requester's, the decision as the manager's.
    public func approve(_ id: Int64, by manager: String, note: String? = nil) async throws -> (ApprovalRecord, PaymentRecord) {
        guard var record = try ledger.approval(id: id) else { throw LedgerError.approvalNotFound(id) }
        if record.state == .waiting {
            try requireApprover(manager)
            record = try ledger.decideApproval(id: id, approve: true, by: manager, note: note)
        }
        guard record.state == .approved else {
            throw LedgerError.approvalRefused("Approval \(id) was denied by \(record.decidedBy ?? "a manager"); it never runs.")
        }
        let order = try HeldOrder.decode(record.orderJSON).order(for: PaymentService<C>.self)
        let key = try IdempotencyKey(record.idempotencyKey)
        let payment = try await service.perform(order, on: try channel(record.channel), by: record.requestedBy, idempotencyKey: key)
        let linked = try ledger.recordApprovalResult(id: id, paymentID: payment.id, actor: manager)
        return (linked, payment)
    }

    /// Denies request `id`: it never runs, and asking again under its key is refused.
    public func deny(_ id: Int64, by manager: String, note: String?) throws -> ApprovalRecord {
        try requireApprover(manager)
        return try ledger.decideApproval(id: id, approve: false, by: manager, note: note)
    }

    /// Only an enabled staff member whose role may approve decides.
    private func requireApprover(_ name: String) throws {
        guard let staffName = try? StaffName(name), let person = try ledger.staff(named: staffName) else {
            throw LedgerError.approvalRefused(
                "\(name) is not on the staff list; approvals are decided by a manager or owner (`posplus staff add NAME --role manager`).")
        }
        guard !person.isDisabled else { throw LedgerError.staffDisabled(person.name) }
        guard person.role.may(.approve) else {
            throw LedgerError.approvalRefused("\(person.name) is \(person.role); only a manager or owner approves.")
        }
    }
}

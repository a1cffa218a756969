import Foundation
import Ledger
import PosPlusCore

/// Where a manager decides held requests (the CLI's `posplus approvals` and the console both
/// come here). Approving runs the request as it was asked, under the key it was held with: a
/// payment through the one payment path, a payment link through the link service. Approving
/// again after a crash carries on the same payment, or finds the same link.
public struct ApprovalDesk<C: Clock<Duration>>: Sendable {
    public let ledger: Ledger
    public let service: PaymentService<C>
    /// The channel a held request named, by name (a terminal or a processor).
    public let channel: @Sendable (String) throws -> any PaymentChannel
    /// The link service an approved link is sent through; built only when one is approved, so
    /// deciding refunds works where the processor is not configured.
    public var links: (@Sendable () throws -> PaymentLinkService<C>)?
    /// Decline recovery, whose proposed steps (suggest mode) are approved here; built only when
    /// one is approved.
    public var declines: (@Sendable () throws -> DeclineRecoveries<C>)?
    /// Reminders, whose proposals (suggest mode) are approved here.
    public var reminders: (@Sendable () throws -> InvoiceReminders<C>)?
    /// The plan service an approved payment plan is scheduled through.
    public var plans: (@Sendable () throws -> PlanService<C>)?

    public init(
        ledger: Ledger, service: PaymentService<C>, links: (@Sendable () throws -> PaymentLinkService<C>)? = nil,
        channel: @escaping @Sendable (String) throws -> any PaymentChannel
    ) {
        self.ledger = ledger
        self.service = service
        self.links = links
        self.channel = channel
    }

    /// What an approved request made when it ran.
    public enum Result: Sendable {
        case payment(PaymentRecord)
        case link(PaymentLinkRecord)
        /// It ran and made neither (a step skipped because the invoice was paid meanwhile): why.
        case noted(String)
        /// A payment plan, now scheduled.
        case plan(PaymentPlanRecord)
    }

    /// Approves request `id` as `manager` (who must hold the approve permission and not be the
    /// requester) and runs it, whatever its kind; an approved request whose run was cut short is
    /// run again. What it makes is recorded as the requester's, the decision as the manager's.
    public func approveAndRun(_ id: Int64, by manager: String, note: String? = nil) async throws -> (ApprovalRecord, Result) {
        // A plan cancelled while it waited is not approved into a schedule that cannot run.
        if let plan = try ledger.plan(approvalID: id), plan.state == .cancelled || plan.state == .completed {
            throw LedgerError.approvalRefused(
                "Plan \(plan.id) is \(plan.state.rawValue) (\(plan.endedReason ?? "")); deny approval \(id) to clear it from the queue.")
        }
        let record = try decide(id, by: manager, note: note)
        let key = try IdempotencyKey(record.idempotencyKey)
        switch record.kind {
        case .link:
            guard let links else { throw LedgerError.approvalRefused("Approval \(id) is a payment link, and links are not set up here.") }
            let service = try links()
            let held = try HeldLink.decode(record.orderJSON)
            let recipient = try held.recipient(for: PaymentLinkService<C>.self)
            let link: PaymentLinkRecord
            if let quote = held.quoteID {
                link = try await service.sendDeposit(
                    quoteID: quote, amount: held.amount, to: recipient, operator: record.requestedBy, idempotencyKey: key)
            } else {
                link = try await service.send(
                    invoiceNumber: held.invoiceNumber ?? "", amount: held.amount, to: recipient, operator: record.requestedBy,
                    idempotencyKey: key)
            }
            return (try ledger.recordApprovalLink(id: id, linkID: link.id, actor: manager), .link(link))
        case .declineStep:
            guard let declines else {
                throw LedgerError.approvalRefused("Approval \(id) is a decline's step, and declines are not set up here.")
            }
            let step = try await declines().runApproved(approvalID: id, by: manager)
            if let paymentID = step.resultPaymentID, let payment = try ledger.payment(id: paymentID) {
                return (try ledger.recordApprovalResult(id: id, paymentID: paymentID, actor: manager), .payment(payment))
            }
            if let linkID = step.linkID, let link = try ledger.link(id: linkID) {
                return (try ledger.recordApprovalLink(id: id, linkID: linkID, actor: manager), .link(link))
            }
            return (record, .noted(step.outcome ?? "Step \(step.number) is \(step.state.rawValue)."))
        case .reminder:
            guard let reminders else {
                throw LedgerError.approvalRefused("Approval \(id) is a reminder, and reminders are not set up here.")
            }
            let reminder = try await reminders().runApproved(approvalID: id, by: manager)
            if let linkID = reminder.linkID, let link = try ledger.link(id: linkID) {
                return (try ledger.recordApprovalLink(id: id, linkID: linkID, actor: manager), .link(link))
            }
            return (record, .noted(reminder.outcome ?? "Reminder \(reminder.id) is \(reminder.state.rawValue)."))
        case .plan:
            guard let plans else { throw LedgerError.approvalRefused("Approval \(id) is a payment plan, and plans are not set up here.") }
            guard let plan = try ledger.plan(approvalID: id) else { throw LedgerError.invalidRequest("Approval \(id) holds no plan.") }
            return (record, .plan(try plans().activate(planID: plan.id, by: manager)))
        case .refund, .void, .keyedSale, .charge:
            let order = try HeldOrder.decode(record.orderJSON).order(for: PaymentService<C>.self)
            let payment = try await service.perform(order, on: try channel(record.channel), by: record.requestedBy, idempotencyKey: key)
            return (try ledger.recordApprovalResult(id: id, paymentID: payment.id, actor: manager), .payment(payment))
        }
    }

    /// ``approveAndRun(_:by:note:)`` for a held payment (a refund, a void, a keyed sale, a charge). A held
    /// link is refused before anything is decided: its answer is a link, not a payment.
    public func approve(_ id: Int64, by manager: String, note: String? = nil) async throws -> (ApprovalRecord, PaymentRecord) {
        guard try ledger.approval(id: id)?.kind != .link else {
            throw LedgerError.invalidRequest("Approval \(id) is a payment link; approve it with approveAndRun.")
        }
        let (record, result) = try await approveAndRun(id, by: manager, note: note)
        guard case .payment(let payment) = result else { throw LedgerError.invalidRequest("Approval \(id) made no payment.") }
        return (record, payment)
    }

    /// Denies request `id`: it never runs, and asking again under its key is refused.
    public func deny(_ id: Int64, by manager: String, note: String?) throws -> ApprovalRecord {
        try requireApprover(manager)
        let record = try ledger.decideApproval(id: id, approve: false, by: manager, note: note)
        if record.kind == .declineStep, let step = try ledger.declineStep(approvalID: id) {
            // The sequence learns of it now, not at its next wake-up: a denied retry means a link.
            try ledger.enqueue(DeclineJobs.tick(recoveryID: step.recoveryID, at: nil), paymentID: record.paymentID)
        }
        if record.kind == .plan, let plan = try ledger.plan(approvalID: id) {
            try ledger.endPlan(
                id: plan.id, as: .cancelled, reason: "Denied by \(manager)" + (record.note.map { ": \($0)" } ?? "."), actor: manager)
        }
        return record
    }

    /// The request, approved by `manager` now if it was waiting; refused if it was denied.
    private func decide(_ id: Int64, by manager: String, note: String?) throws -> ApprovalRecord {
        guard var record = try ledger.approval(id: id) else { throw LedgerError.approvalNotFound(id) }
        if record.state == .waiting {
            try requireApprover(manager)
            record = try ledger.decideApproval(id: id, approve: true, by: manager, note: note)
        }
        guard record.state == .approved else {
            throw LedgerError.approvalRefused("Approval \(id) was denied by \(record.decidedBy ?? "a manager"); it never runs.")
        }
        return record
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

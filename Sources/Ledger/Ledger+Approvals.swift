import Foundation
import GRDB
import PosPlusCore

/// Requests held for a manager. Each change is one transaction with its audit event; the rules
/// of who may decide are checked here, where every process (CLI, console, API) meets them.
extension Ledger {
    /// Holds `new` for a manager, or returns the request already held under its key (the same
    /// request asked again while it waits). A different request under a used key is refused.
    public func holdForApproval(_ new: NewApproval, actor: String) throws -> ApprovalRecord {
        try write { db in
            if let held = try ApprovalRecord.filter(Column("idempotencyKey") == new.idempotencyKey.rawValue).fetchOne(db) {
                guard held.orderJSON == new.orderJSON, held.channel == new.channel else {
                    throw LedgerError.approvalRefused(
                        "Key \(new.idempotencyKey) already names approval \(held.id) (\(held.summary)); use a new key for a new request.")
                }
                return held
            }
            let time = now()
            let record = try ApprovalRecord.Draft(
                idempotencyKey: new.idempotencyKey.rawValue, kind: new.kind, state: .waiting,
                summary: CardDataScrubber.scrub(new.summary) ?? "", reason: new.reason, amountMinor: new.amount.minorUnits,
                currency: new.amount.currency, channel: new.channel, orderJSON: new.orderJSON, paymentID: new.paymentID,
                invoiceNumber: new.invoiceNumber, requestedBy: actor, requestedAt: time
            ).insertAndFetch(db, as: ApprovalRecord.self)
            try AuditChain.append(
                db, kind: "approval.request", paymentID: new.paymentID, actor: actor,
                detail: [
                    "approval": .integer(record.id), "kind": .text(record.kind.rawValue), "amount": .integer(record.amountMinor),
                    "reason": .text(record.reason),
                ], at: time)
            return record
        }
    }

    public func approval(id: Int64) throws -> ApprovalRecord? {
        try read { db in try ApprovalRecord.fetchOne(db, key: id) }
    }

    public func approval(idempotencyKey: IdempotencyKey) throws -> ApprovalRecord? {
        try read { db in try ApprovalRecord.filter(Column("idempotencyKey") == idempotencyKey.rawValue).fetchOne(db) }
    }

    /// Requests in `state` (all when nil), oldest first: the queue is worked in order.
    public func approvals(state: ApprovalRecord.State? = nil, limit: Int = 500) throws -> [ApprovalRecord] {
        try read { db in
            var query = ApprovalRecord.all()
            if let state { query = query.filter(Column("state") == state.rawValue) }
            return try query.order(Column("requestedAt"), Column("id")).limit(limit).fetchAll(db)
        }
    }

    /// Link requests that made no link: waiting for a manager, or denied; newest first, only
    /// those `requestedBy` asked for when given (compared as staff names are, ignoring case).
    /// What a technician's page shows beside the links they sent.
    public func heldLinks(requestedBy: String? = nil, limit: Int = 50) throws -> [ApprovalRecord] {
        try read { db in
            var query = ApprovalRecord.filter(Column("kind") == ApprovalRecord.Kind.link.rawValue && Column("resultLinkID") == nil)
                .filter([ApprovalRecord.State.waiting.rawValue, ApprovalRecord.State.denied.rawValue].contains(Column("state")))
            if let requestedBy { query = query.filter(Column("requestedBy").collating(.nocase) == requestedBy) }
            return try query.order(Column("requestedAt").desc, Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    /// Approves or denies a waiting request. The person who asked may not decide, and a decided
    /// request stays decided: both are refused with a sentence saying so.
    public func decideApproval(id: Int64, approve: Bool, by decider: String, note: String?) throws -> ApprovalRecord {
        try write { db in
            guard var record = try ApprovalRecord.fetchOne(db, key: id) else { throw LedgerError.approvalNotFound(id) }
            guard record.state == .waiting else {
                throw LedgerError.approvalRefused(
                    "Approval \(id) was already \(record.state.rawValue) by \(record.decidedBy ?? "someone"); it cannot be decided again.")
            }
            guard record.requestedBy.lowercased() != decider.lowercased() else {
                throw LedgerError.approvalRefused("\(decider) asked for approval \(id); another manager must decide it.")
            }
            let time = now()
            record.state = approve ? .approved : .denied
            record.decidedBy = decider
            record.decidedAt = time
            record.note = CardDataScrubber.scrub(note)
            try record.update(db)
            try AuditChain.append(
                db, kind: approve ? "approval.approve" : "approval.deny", paymentID: record.paymentID, actor: decider,
                detail: ["approval": .integer(id), "requestedBy": .text(record.requestedBy), "note": AuditValue(record.note)], at: time)
            return record
        }
    }

    /// Links an approved request to the payment it made when it ran.
    @discardableResult
    public func recordApprovalResult(id: Int64, paymentID: Int64, actor: String) throws -> ApprovalRecord {
        try recordApprovalRun(id: id, result: \.resultPaymentID, as: paymentID, named: "payment", paymentID: paymentID, actor: actor)
    }

    /// Links an approved link request to the payment link it sent (the twin of
    /// ``recordApprovalResult(id:paymentID:actor:)``); recording the same link again changes nothing.
    @discardableResult
    public func recordApprovalLink(id: Int64, linkID: Int64, actor: String) throws -> ApprovalRecord {
        try recordApprovalRun(id: id, result: \.resultLinkID, as: linkID, named: "link", paymentID: nil, actor: actor)
    }

    /// What an approved request made when it ran, kept in `result` (once: the same id again
    /// changes nothing) and audited as `approval.run`.
    private func recordApprovalRun(
        id: Int64, result: WritableKeyPath<ApprovalRecord, Int64?>, as made: Int64, named name: String, paymentID: Int64?,
        actor: String
    ) throws -> ApprovalRecord {
        try write { db in
            guard var record = try ApprovalRecord.fetchOne(db, key: id) else { throw LedgerError.approvalNotFound(id) }
            guard record.state == .approved else {
                throw LedgerError.approvalRefused("Approval \(id) is \(record.state.rawValue); only an approved request runs.")
            }
            guard record[keyPath: result] != made else { return record }
            record[keyPath: result] = made
            try record.update(db)
            try AuditChain.append(
                db, kind: "approval.run", paymentID: paymentID, actor: actor,
                detail: ["approval": .integer(id), name: .integer(made)], at: now())
            return record
        }
    }
}

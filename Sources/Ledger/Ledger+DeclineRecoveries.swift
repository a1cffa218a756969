import Foundation
import GRDB
import PosPlusCore

/// Failed-payment recoveries (issue 13, part 2): each change of a sequence is one transaction
/// with the steps it asked for and their audit events, so what was decided and what must still
/// be done are never apart. The sequence's rules are not here: the Bridge runs them and hands
/// the ledger the state to keep.
extension Ledger {
    /// Who proposes steps in suggest mode, and signs what the sequence decides by itself.
    public static let declinesActor = "posplus (declines)"

    /// What ``startDeclineRecovery(_:machineJSON:nextWakeAt:finishReason:steps:)`` found.
    public enum RecoveryStart: Equatable, Sendable {
        case started(DeclineRecoveryRecord)
        /// This payment's recovery already exists (the start job ran twice).
        case existing(DeclineRecoveryRecord)
        /// Another decline's recovery is running on the invoice: one sequence per invoice.
        case alreadyRunning(DeclineRecoveryRecord)
    }

    /// Starts a recovery with the sequence's first state and steps, unless this payment has one
    /// or another runs on its invoice (then nothing is written).
    public func startDeclineRecovery(
        _ new: NewDeclineRecovery, machineJSON: String, nextWakeAt: Date?, finishReason: String?, steps: [NewDeclineStep]
    ) throws -> RecoveryStart {
        try write { db in
            if let existing = try DeclineRecoveryRecord.filter(Column("paymentID") == new.paymentID).fetchOne(db) {
                return .existing(existing)
            }
            if let running = try DeclineRecoveryRecord.filter(Column("invoiceID") == new.invoiceID && Column("state") == "active")
                .fetchOne(db)
            {
                return .alreadyRunning(running)
            }
            let time = now()
            var record = try DeclineRecoveryRecord.Draft(
                paymentID: new.paymentID, invoiceID: new.invoiceID, invoiceNumber: new.invoiceNumber, clientID: new.clientID,
                savedCardID: new.savedCardID, state: .active, explanation: new.explanation, machineJSON: machineJSON,
                nextWakeAt: nextWakeAt, createdAt: time, updatedAt: time
            ).insertAndFetch(db, as: DeclineRecoveryRecord.self)
            try AuditChain.append(
                db, kind: "decline.recovery.start", paymentID: new.paymentID, actor: Self.declinesActor,
                detail: ["recovery": .integer(record.id), "explanation": .text(new.explanation)], at: time)
            try Self.append(steps, to: &record, finishing: finishReason, in: db, at: time)
            return .started(record)
        }
    }

    /// Moves recovery `id` from the state `expected` to `machineJSON`, adding `steps`; refused
    /// (``DeclineRecoveryMovedOn``) when another process moved it first, so a step is never
    /// asked for twice. Finishing skips every step still proposed or due, and denies their
    /// approvals: nothing is sent or charged after the invoice is paid.
    @discardableResult
    public func advanceDeclineRecovery(
        id: Int64, expected: String, machineJSON: String, nextWakeAt: Date?, finishReason: String?, steps: [NewDeclineStep]
    ) throws -> DeclineRecoveryRecord {
        try write { db in
            guard var record = try DeclineRecoveryRecord.fetchOne(db, key: id) else {
                throw LedgerError.invalidRequest("No decline recovery \(id).")
            }
            guard record.machineJSON == expected, record.state == .active else {
                throw DeclineRecoveryMovedOn(id: id)
            }
            let time = now()
            record.machineJSON = machineJSON
            record.nextWakeAt = nextWakeAt
            try Self.append(steps, to: &record, finishing: finishReason, in: db, at: time)
            return record
        }
    }

    private static func append(
        _ steps: [NewDeclineStep], to record: inout DeclineRecoveryRecord, finishing finishReason: String?, in db: Database, at time: Date
    ) throws {
        var number = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM declineStep WHERE recoveryID = ?", arguments: [record.id]) ?? 0
        for step in steps {
            number += 1
            var approvalID: Int64?
            if step.state == .proposed {
                let approval = try ApprovalRecord.Draft(
                    idempotencyKey: "declines-\(record.id)-step-\(number)-approval", kind: .declineStep, state: .waiting,
                    summary: step.summary, reason: step.reason, amountMinor: step.amount.minorUnits, currency: step.amount.currency,
                    channel: "declines", orderJSON: #"{"recovery":\#(record.id),"step":\#(number)}"#, paymentID: record.paymentID,
                    invoiceNumber: record.invoiceNumber, requestedBy: declinesActor, requestedAt: time
                ).insertAndFetch(db, as: ApprovalRecord.self)
                approvalID = approval.id
            }
            let row = try DeclineStepRecord.Draft(
                recoveryID: record.id, number: number, action: step.action, tryNumber: step.tryNumber, reason: step.reason,
                state: step.state, approvalID: approvalID, createdAt: time, updatedAt: time
            ).insertAndFetch(db, as: DeclineStepRecord.self)
            try AuditChain.append(
                db, kind: "decline.step", paymentID: record.paymentID, actor: declinesActor,
                detail: [
                    "recovery": .integer(record.id), "step": .integer(row.id), "action": .text(step.action.rawValue),
                    "state": .text(step.state.rawValue), "reason": .text(step.reason),
                    "approval": approvalID.map(AuditValue.integer) ?? .null,
                ], at: time)
        }
        record.updatedAt = time
        if let finishReason {
            record.state = .finished
            record.finishReason = finishReason
            record.nextWakeAt = nil
            try dropPendingSteps(of: record, reason: finishReason, in: db, at: time)
            try AuditChain.append(
                db, kind: "decline.recovery.finish", paymentID: record.paymentID, actor: declinesActor,
                detail: ["recovery": .integer(record.id), "reason": .text(finishReason)], at: time)
        }
        try record.update(db)
    }

    /// Every step still waiting or due is skipped with `reason`, and its approval denied.
    private static func dropPendingSteps(of record: DeclineRecoveryRecord, reason: String, in db: Database, at time: Date) throws {
        // An office task still open is closed too: nobody should call a customer who has paid.
        let pending = try DeclineStepRecord.filter(Column("recoveryID") == record.id)
            .filter(["proposed", "due", "open"].contains(Column("state"))).fetchAll(db)
        for var step in pending {
            step.state = .skipped
            step.outcome = reason
            step.updatedAt = time
            try step.update(db)
            if let approvalID = step.approvalID {
                try withdrawApproval(approvalID, by: "posplus (the recovery ended)", reason: reason, in: db, at: time)
            }
        }
    }

    /// Records how step `id` ended (or that it is due now: a person approved it). Audited.
    @discardableResult
    public func updateDeclineStep(
        id: Int64, state: DeclineStepRecord.State, outcome: String?, linkID: Int64? = nil, paymentID: Int64? = nil, by actor: String
    ) throws -> DeclineStepRecord {
        try write { db in
            guard var step = try DeclineStepRecord.fetchOne(db, key: id) else { throw LedgerError.invalidRequest("No decline step \(id).") }
            let time = now()
            step.state = state
            step.outcome = CardDataScrubber.scrub(outcome)
            step.linkID = linkID ?? step.linkID
            step.resultPaymentID = paymentID ?? step.resultPaymentID
            step.decidedBy = actor
            step.updatedAt = time
            try step.update(db)
            let recovery = try DeclineRecoveryRecord.fetchOne(db, key: step.recoveryID)
            try AuditChain.append(
                db, kind: "decline.step.\(state.rawValue)", paymentID: paymentID ?? recovery?.paymentID, actor: actor,
                detail: ["recovery": .integer(step.recoveryID), "step": .integer(id), "outcome": AuditValue(step.outcome)], at: time)
            return step
        }
    }

    /// A person ends recovery `id` (the customer is paying another way, the office settled it):
    /// nothing more is sent or charged, its proposals are withdrawn and its open tasks closed.
    @discardableResult
    public func stopDeclineRecovery(id: Int64, reason: String, by actor: String) throws -> DeclineRecoveryRecord {
        try write { db in
            guard var record = try DeclineRecoveryRecord.fetchOne(db, key: id) else {
                throw LedgerError.invalidRequest("No decline recovery \(id); `posplus declines list` lists them.")
            }
            guard record.state == .active else {
                throw LedgerError.invalidRequest("Recovery \(id) has already ended: \(record.finishReason ?? "").")
            }
            let time = now()
            let why = "Stopped by \(actor): \(CardDataScrubber.scrub(reason) ?? "")"
            record.state = .finished
            record.finishReason = why
            record.nextWakeAt = nil
            record.updatedAt = time
            try Self.dropPendingSteps(of: record, reason: why, in: db, at: time)
            try record.update(db)
            try AuditChain.append(
                db, kind: "decline.recovery.finish", paymentID: record.paymentID, actor: actor,
                detail: ["recovery": .integer(id), "reason": .text(why)], at: time)
            return record
        }
    }

    /// A person closes office task `id`, saying what they did. Only an open task closes.
    /// Checked and closed in one transaction, so two people closing it at once cannot both.
    @discardableResult
    public func closeOfficeTask(id: Int64, note: String, by actor: String) throws -> DeclineStepRecord {
        try write { db in
            guard var task = try DeclineStepRecord.fetchOne(db, key: id), task.action == .officeTask else {
                throw LedgerError.invalidRequest("No office task \(id); `posplus declines tasks` lists the open ones.")
            }
            guard task.state == .open else {
                throw LedgerError.invalidRequest("Task \(id) was already closed by \(task.decidedBy ?? "someone"): \(task.outcome ?? "").")
            }
            let time = now()
            task.state = .done
            task.outcome = CardDataScrubber.scrub(note)
            task.decidedBy = actor
            task.updatedAt = time
            try task.update(db)
            let recovery = try DeclineRecoveryRecord.fetchOne(db, key: task.recoveryID)
            try AuditChain.append(
                db, kind: "decline.step.done", paymentID: recovery?.paymentID, actor: actor,
                detail: ["recovery": .integer(task.recoveryID), "step": .integer(id), "outcome": AuditValue(task.outcome)], at: time)
            return task
        }
    }

    public func declineRecovery(id: Int64) throws -> DeclineRecoveryRecord? {
        try read { db in try DeclineRecoveryRecord.fetchOne(db, key: id) }
    }

    /// The recovery declined payment `paymentID` started, if it started one.
    public func declineRecovery(paymentID: Int64) throws -> DeclineRecoveryRecord? {
        try read { db in try DeclineRecoveryRecord.filter(Column("paymentID") == paymentID).fetchOne(db) }
    }

    /// The recovery running on `invoiceID`, if any.
    public func activeDeclineRecovery(invoiceID: String) throws -> DeclineRecoveryRecord? {
        try read { db in try DeclineRecoveryRecord.filter(Column("invoiceID") == invoiceID && Column("state") == "active").fetchOne(db) }
    }

    /// Recoveries, newest first; only those in `state` when given.
    public func declineRecoveries(state: DeclineRecoveryRecord.State? = nil, limit: Int = 200) throws -> [DeclineRecoveryRecord] {
        try read { db in
            var query = DeclineRecoveryRecord.all()
            if let state { query = query.filter(Column("state") == state.rawValue) }
            return try query.order(Column("createdAt").desc, Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    public func declineSteps(recoveryID: Int64) throws -> [DeclineStepRecord] {
        try read { db in try DeclineStepRecord.filter(Column("recoveryID") == recoveryID).order(Column("number")).fetchAll(db) }
    }

    public func declineStep(id: Int64) throws -> DeclineStepRecord? {
        try read { db in try DeclineStepRecord.fetchOne(db, key: id) }
    }

    /// The step a `declineStep` approval proposed.
    public func declineStep(approvalID: Int64) throws -> DeclineStepRecord? {
        try read { db in try DeclineStepRecord.filter(Column("approvalID") == approvalID).fetchOne(db) }
    }

    /// Office tasks nobody has closed, oldest first: the office's to-do list.
    public func openOfficeTasks(limit: Int = 200) throws -> [DeclineStepRecord] {
        try read { db in
            try DeclineStepRecord.filter(Column("action") == "officeTask" && Column("state") == "open")
                .order(Column("createdAt"), Column("id")).limit(limit).fetchAll(db)
        }
    }
}

/// Another process moved a recovery on between this one's read and its write: read it again.
/// The outbox retries the job, which then sees the new state.
public struct DeclineRecoveryMovedOn: Error, Equatable, Sendable, CustomStringConvertible {
    public var id: Int64
    public var description: String { "Decline recovery \(id) moved on in another process; it is read again." }
}

extension Ledger {
    /// Denies approval `id` if it still waits, as `actor` (posplus itself, not a manager) with
    /// `reason`, audited like a manager's denial: what it proposed is over, so nobody may
    /// approve it into running later. A decided approval is left as it is.
    static func withdrawApproval(_ id: Int64, by actor: String, reason: String, in db: Database, at time: Date) throws {
        guard var approval = try ApprovalRecord.fetchOne(db, key: id), approval.state == .waiting else { return }
        approval.state = .denied
        approval.decidedBy = actor
        approval.decidedAt = time
        approval.note = reason
        try approval.update(db)
        try AuditChain.append(
            db, kind: "approval.deny", paymentID: approval.paymentID, actor: actor,
            detail: ["approval": .integer(id), "requestedBy": .text(approval.requestedBy), "note": .text(reason)], at: time)
    }
}

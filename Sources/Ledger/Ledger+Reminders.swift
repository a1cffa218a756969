import Foundation
import GRDB
import PosPlusCore

/// Reminders of unpaid invoices (issue 13, part 6). A plan and the outbox jobs that send it are
/// one transaction, so a reminder is never planned without the job that sends it, nor sent by
/// a job whose plan was replaced (the job reads its row, which says so).
extension Ledger {
    public static let remindersActor = "posplus (reminders)"

    /// The kind of the outbox job that sends one reminder.
    public static let reminderSendJob = "reminders.send"

    /// Plans `reminders` for the invoice due on `dueKey`: what was still to come under another
    /// due date is skipped, each new reminder is written with its send job, and a reminder the
    /// plan already has is kept as it is. Returns the invoice's reminders still to come.
    @discardableResult
    public func planReminders(invoiceID: String, invoiceNumber: String, dueKey: String, _ reminders: [NewReminder]) throws
        -> [ReminderRecord]
    {
        try write { db in
            let time = now()
            _ = try Self.skipOpenReminders(
                invoiceID: invoiceID, reason: "The due date changed; the reminders were planned again.", in: db, at: time,
                except: dueKey)
            for reminder in reminders {
                let existing = try ReminderRecord.filter(
                    Column("invoiceID") == invoiceID && Column("dueKey") == dueKey && Column("number") == reminder.number
                ).fetchOne(db)
                let record: ReminderRecord
                if var skipped = existing, skipped.state == .skipped {
                    // Planned again after it was stopped (the invoice reopened, the due date came
                    // back): the same reminder, scheduled anew for its date.
                    skipped.state = .scheduled
                    skipped.sendAt = reminder.sendAt
                    skipped.approvalID = nil
                    skipped.outcome = nil
                    skipped.updatedAt = time
                    try skipped.update(db)
                    record = skipped
                } else if existing != nil {
                    continue
                } else {
                    record = try ReminderRecord.Draft(
                        invoiceID: invoiceID, invoiceNumber: invoiceNumber, dueKey: dueKey, number: reminder.number, day: reminder.day,
                        sendAt: reminder.sendAt, state: .scheduled, createdAt: time, updatedAt: time
                    ).insertAndFetch(db, as: ReminderRecord.self)
                }
                let when = Int64(reminder.sendAt.timeIntervalSince1970)
                _ = try Self.enqueue(
                    NewOutboxJob(
                        kind: Self.reminderSendJob, dedupeKey: "\(Self.reminderSendJob).\(record.id).\(when)",
                        payload: #"{"id":\#(record.id)}"#, runAt: reminder.sendAt),
                    paymentID: nil, in: db, at: time, actor: Self.remindersActor)
                try AuditChain.append(
                    db, kind: "reminder.plan", paymentID: nil, actor: Self.remindersActor,
                    detail: [
                        "reminder": .integer(record.id), "invoice": .text(invoiceNumber), "day": .integer(Int64(reminder.day)),
                        "sendAt": .text(DatabaseTime.text(reminder.sendAt)),
                    ], at: time)
            }
            return try ReminderRecord.filter(Column("invoiceID") == invoiceID)
                .filter(["scheduled", "proposed"].contains(Column("state"))).order(Column("sendAt")).fetchAll(db)
        }
    }

    /// Skips every reminder of the invoice still to come, with `reason`; a proposal waiting
    /// for a person is denied with it. Returns how many were skipped.
    @discardableResult
    public func stopReminders(invoiceID: String, reason: String) throws -> Int {
        try write { db in try Self.skipOpenReminders(invoiceID: invoiceID, reason: reason, in: db, at: now(), except: nil) }
    }

    private static func skipOpenReminders(invoiceID: String, reason: String, in db: Database, at time: Date, except dueKey: String?)
        throws -> Int
    {
        var open = ReminderRecord.filter(Column("invoiceID") == invoiceID).filter(["scheduled", "proposed"].contains(Column("state")))
        if let dueKey { open = open.filter(Column("dueKey") != dueKey) }
        let rows = try open.fetchAll(db)
        for var row in rows {
            row.state = .skipped
            row.outcome = reason
            row.updatedAt = time
            try row.update(db)
            if let approvalID = row.approvalID {
                try withdrawApproval(approvalID, by: "posplus (reminders stopped)", reason: reason, in: db, at: time)
            }
            try AuditChain.append(
                db, kind: "reminder.skip", paymentID: nil, actor: remindersActor,
                detail: ["reminder": .integer(row.id), "reason": .text(reason)], at: time)
        }
        return rows.count
    }

    /// Holds reminder `id` for a person as an approval showing `summary` and `reason`.
    @discardableResult
    public func proposeReminder(id: Int64, summary: String, reason: String, amount: Money) throws -> ReminderRecord {
        try write { db in
            guard var row = try ReminderRecord.fetchOne(db, key: id) else { throw LedgerError.invalidRequest("No reminder \(id).") }
            guard row.state == .scheduled else { return row }
            let time = now()
            let approval = try ApprovalRecord.Draft(
                idempotencyKey: "reminder-\(id)-approval", kind: .reminder, state: .waiting, summary: summary, reason: reason,
                amountMinor: amount.minorUnits, currency: amount.currency, channel: "reminders", orderJSON: #"{"reminder":\#(id)}"#,
                paymentID: nil, invoiceNumber: row.invoiceNumber, requestedBy: Self.remindersActor, requestedAt: time
            ).insertAndFetch(db, as: ApprovalRecord.self)
            row.state = .proposed
            row.approvalID = approval.id
            row.updatedAt = time
            try row.update(db)
            try AuditChain.append(
                db, kind: "approval.request", paymentID: nil, actor: Self.remindersActor,
                detail: [
                    "approval": .integer(approval.id), "kind": "reminder", "amount": .integer(amount.minorUnits), "reason": .text(reason),
                ],
                at: time)
            return row
        }
    }

    /// Records how reminder `id` ended: sent (with its link) or skipped (with why).
    @discardableResult
    public func finishReminder(id: Int64, state: ReminderRecord.State, outcome: String, linkID: Int64? = nil, by actor: String) throws
        -> ReminderRecord
    {
        try write { db in
            guard var row = try ReminderRecord.fetchOne(db, key: id) else { throw LedgerError.invalidRequest("No reminder \(id).") }
            let time = now()
            row.state = state
            row.outcome = CardDataScrubber.scrub(outcome)
            row.linkID = linkID ?? row.linkID
            row.updatedAt = time
            try row.update(db)
            try AuditChain.append(
                db, kind: "reminder.\(state.rawValue)", paymentID: nil, actor: actor,
                detail: ["reminder": .integer(id), "outcome": AuditValue(row.outcome), "link": linkID.map(AuditValue.integer) ?? .null],
                at: time)
            return row
        }
    }

    public func reminder(id: Int64) throws -> ReminderRecord? {
        try read { db in try ReminderRecord.fetchOne(db, key: id) }
    }

    public func reminder(approvalID: Int64) throws -> ReminderRecord? {
        try read { db in try ReminderRecord.filter(Column("approvalID") == approvalID).fetchOne(db) }
    }

    /// An invoice's reminders (all when nil), in the order they go.
    /// The reminders of invoice number `number` (as staff see it), in the order they go.
    public func reminders(invoiceNumber number: String, limit: Int = 500) throws -> [ReminderRecord] {
        try read { db in
            try ReminderRecord.filter(Column("invoiceNumber") == number).order(Column("sendAt"), Column("id")).limit(limit).fetchAll(db)
        }
    }

    public func reminders(invoiceID: String? = nil, limit: Int = 500) throws -> [ReminderRecord] {
        try read { db in
            var query = ReminderRecord.all()
            if let invoiceID { query = query.filter(Column("invoiceID") == invoiceID) }
            return try query.order(Column("sendAt"), Column("id")).limit(limit).fetchAll(db)
        }
    }
}

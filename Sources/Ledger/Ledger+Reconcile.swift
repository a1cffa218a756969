import Foundation
import GRDB
import PosPlusCore

/// A payment with what reconcile needs beside the row: the reference every other side knows it
/// by (its last attempt's) and where its Jobber write-back stands.
public struct ReconcilePaymentFacts: Equatable, Sendable {
    public var payment: PaymentRecord
    public var reference: String?
    /// Its newest Jobber write-back job, and where that stands (nil: none was queued).
    public var writeBackJobID: Int64?
    public var writeBack: OutboxJobRecord.State?
    /// Its voids and refunds, each with the reference its last attempt went under.
    public var reversals: [ReversalFacts] = []
}

/// A void or refund of a payment, as reconcile needs it to find the terminal's record of it.
public struct ReversalFacts: Equatable, Sendable {
    public var paymentID: Int64
    public var operation: PaymentOperation
    public var state: PaymentState
    public var capturedMinor: Int64
    public var reference: String?
}

/// What one run did to the stored items.
public struct ReconcileRunOutcome: Equatable, Sendable, Codable {
    public var opened: Int
    public var stillOpen: Int
    public var cleared: Int
}

extension Ledger {
    /// Payments that collect money, created in `[since, until)`, with their reference and write-back state.
    public func reconcilePayments(since: Date, until: Date, writeBackKind: String) throws -> [ReconcilePaymentFacts] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT payment.*, job.state AS writeBackState FROM (SELECT payment.*,
                      (SELECT reference FROM attempt WHERE attempt.paymentID = payment.id ORDER BY number DESC LIMIT 1) AS lastReference,
                      (SELECT id FROM outboxJob WHERE outboxJob.paymentID = payment.id AND outboxJob.kind = ?1
                         ORDER BY id DESC LIMIT 1) AS writeBackJobID
                      FROM payment WHERE createdAt >= ?2 AND createdAt < ?3) AS payment
                    LEFT JOIN outboxJob AS job ON job.id = payment.writeBackJobID
                    ORDER BY payment.id
                    """, arguments: [writeBackKind, DatabaseTime.text(since), DatabaseTime.text(until)])
            let reversals = try Dictionary(grouping: Self.reversals(since: since, until: until, in: db)) { $0.original }
            return try rows.filter { row in
                (row["operation"] as String?).flatMap(PaymentOperation.init(rawValue:))?.collectsMoney == true
            }.map { row in
                let jobID: Int64? = row["writeBackJobID"]
                let payment = try PaymentRecord(row: row)
                return ReconcilePaymentFacts(
                    payment: payment, reference: row["lastReference"], writeBackJobID: jobID,
                    writeBack: (row["writeBackState"] as String?).flatMap(OutboxJobRecord.State.init(rawValue:)),
                    reversals: reversals[payment.id]?.map(\.facts) ?? [])
            }
        }
    }

    private static func reversals(since: Date, until: Date, in db: Database) throws -> [(original: Int64, facts: ReversalFacts)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, originalPaymentID, operation, state, capturedMinor,
                  (SELECT reference FROM attempt WHERE attempt.paymentID = payment.id ORDER BY number DESC LIMIT 1) AS lastReference
                FROM payment WHERE originalPaymentID IN (SELECT id FROM payment WHERE createdAt >= ?1 AND createdAt < ?2)
                ORDER BY id
                """, arguments: [DatabaseTime.text(since), DatabaseTime.text(until)]
        ).compactMap { row in
            guard let operation = (row["operation"] as String?).flatMap(PaymentOperation.init(rawValue:)),
                let state = (row["state"] as String?).flatMap(PaymentState.init(rawValue:))
            else { return nil }
            return (
                row["originalPaymentID"],
                ReversalFacts(
                    paymentID: row["id"], operation: operation, state: state, capturedMinor: row["capturedMinor"],
                    reference: row["lastReference"])
            )
        }
    }

    /// Stores what a run over `[since, until)` found, in one transaction: a new difference opens
    /// an item; one found again is updated (a fixed one whose fix did not take opens again; one a
    /// person resolved stays resolved); an open item whose money moved in that window and that
    /// was not found now is cleared. Items of other windows are left alone.
    @discardableResult
    public func recordReconcileRun(_ found: [FoundDifference], since: Date, until: Date, actor: String) throws -> ReconcileRunOutcome {
        try write { db in
            let time = now()
            var outcome = ReconcileRunOutcome(opened: 0, stillOpen: 0, cleared: 0)
            for difference in found {
                if var existing = try ReconcileItemRecord.filter(Column("key") == difference.key).fetchOne(db) {
                    existing.explanation = difference.explanation
                    existing.occurredAt = difference.occurredAt ?? existing.occurredAt
                    existing.detail = difference.detail
                    existing.differenceMinor = difference.differenceMinor
                    existing.currency = difference.currency
                    existing.action = difference.action
                    existing.lastSeenAt = time
                    if existing.status == .fixed || existing.status == .cleared {
                        existing.status = .open
                        existing.closedAt = nil
                    }
                    if existing.status == .open { outcome.stillOpen += 1 }
                    try existing.update(db)
                } else {
                    try ReconcileItemRecord.Draft(
                        key: difference.key, kind: difference.kind, reference: difference.reference, invoiceID: difference.invoiceID,
                        explanation: difference.explanation, occurredAt: difference.occurredAt, detail: difference.detail,
                        differenceMinor: difference.differenceMinor, currency: difference.currency, action: difference.action,
                        status: .open, firstSeenAt: time, lastSeenAt: time
                    ).insert(db)
                    outcome.opened += 1
                }
            }
            let keys = Set(found.map(\.key))
            let stale = try ReconcileItemRecord.filter(Column("status") == ReconcileItemRecord.Status.open.rawValue)
                .filter(Column("occurredAt") >= DatabaseTime.text(since) && Column("occurredAt") < DatabaseTime.text(until))
                .fetchAll(db).filter { !keys.contains($0.key) }
            for var item in stale {
                item.status = .cleared
                item.closedAt = time
                try item.update(db)
                outcome.cleared += 1
            }
            try AuditChain.append(
                db, kind: "reconcile.run", paymentID: nil, actor: actor,
                detail: [
                    "since": .text(DatabaseTime.text(since)), "until": .text(DatabaseTime.text(until)),
                    "opened": .integer(Int64(outcome.opened)),
                    "stillOpen": .integer(Int64(outcome.stillOpen)), "cleared": .integer(Int64(outcome.cleared)),
                ], at: time)
            return outcome
        }
    }

    /// Items in the given states, oldest first.
    public func reconcileItems(status: Set<ReconcileItemRecord.Status> = [.open]) throws -> [ReconcileItemRecord] {
        try read { db in
            try ReconcileItemRecord.filter(status.map(\.rawValue).contains(Column("status"))).order(Column("id")).fetchAll(db)
        }
    }

    public func reconcileItem(id: Int64) throws -> ReconcileItemRecord? {
        try read { db in try ReconcileItemRecord.fetchOne(db, key: id) }
    }

    public func reconcileItem(key: String) throws -> ReconcileItemRecord? {
        try read { db in try ReconcileItemRecord.filter(Column("key") == key).fetchOne(db) }
    }

    /// A person closes an item (manager's call): how, why, and who; audited.
    @discardableResult
    public func resolveReconcileItem(id: Int64, as resolution: ReconcileItemRecord.Resolution, note: String, by actor: String) throws
        -> ReconcileItemRecord
    {
        try write { db in
            guard var item = try ReconcileItemRecord.fetchOne(db, key: id) else { throw LedgerError.reconcileItemNotFound(id) }
            item.status = .resolved
            item.resolution = resolution
            item.resolvedBy = actor
            item.note = note
            let time = now()
            item.closedAt = time
            try item.update(db)
            try AuditChain.append(
                db, kind: "reconcile.resolve", paymentID: nil, actor: actor,
                detail: ["item": .integer(id), "key": .text(item.key), "as": .text(resolution.rawValue), "note": .text(note)], at: time)
            return item
        }
    }

    /// Marks an item fixed after `--apply` performed its action; audited with what was done.
    public func markReconcileItemFixed(key: String, action: String, by actor: String) throws {
        try write { db in
            guard var item = try ReconcileItemRecord.filter(Column("key") == key).fetchOne(db) else { return }
            item.status = .fixed
            let time = now()
            item.closedAt = time
            try item.update(db)
            try AuditChain.append(
                db, kind: "reconcile.apply", paymentID: nil, actor: actor,
                detail: ["item": .integer(item.id), "key": .text(key), "action": .text(action)], at: time)
        }
    }

    /// Where a side was last read up to (nil: never).
    public func reconcileWatermark(side: String) throws -> Date? {
        try read { db in
            try Date.fetchOne(db, sql: "SELECT readUntil FROM reconcileWatermark WHERE side = ?", arguments: [side])
        }
    }

    public func setReconcileWatermark(side: String, to time: Date) throws {
        try write { db in
            try db.execute(
                sql:
                    "INSERT INTO reconcileWatermark (side, readUntil) VALUES (?, ?) ON CONFLICT(side) DO UPDATE SET readUntil = excluded.readUntil",
                arguments: [side, DatabaseTime.text(time)])
        }
    }
}

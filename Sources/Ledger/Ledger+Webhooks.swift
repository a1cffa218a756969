import Foundation
import GRDB

/// A webhook as stored: verified, not yet (or already) acted on.
public struct StoredWebhook: Equatable, Sendable {
    public var id: Int64
    public var source: String
    public var dedupeKey: String
    public var topic: String
    public var accountID: String?
    public var itemID: String?
    public var payload: String
    public var receivedAt: Date
    public var processedAt: Date?
    public var result: String?
    /// `pending` (to do, possibly waiting for its next try), `processed`, or `failed` (can never
    /// be read; waits for `posplus webhooks retry`).
    public var state: WebhookState = .pending
    /// How many times processing it failed so far.
    public var attempts: Int = 0
    /// When a pending event that failed is tried again; nil means at once.
    public var nextAttemptAt: Date?
    /// Why the last try failed.
    public var lastError: String?
}

/// Where a stored webhook stands.
public enum WebhookState: String, Sendable, CaseIterable {
    case pending, processed, failed
}

extension Ledger {
    /// Stores a verified webhook. Returns nil when the same delivery was stored before: the
    /// sender retried, and the event must not be acted on twice.
    public func storeWebhook(
        source: String, dedupeKey: String, topic: String, accountID: String?, itemID: String?, payload: String
    ) throws -> StoredWebhook? {
        try write { db in
            if try Row.fetchOne(db, sql: "SELECT id FROM webhookEvent WHERE source = ? AND dedupeKey = ?", arguments: [source, dedupeKey])
                != nil
            {
                return nil
            }
            let time = now()
            try db.execute(
                sql: """
                    INSERT INTO webhookEvent (source, dedupeKey, topic, accountID, itemID, payload, receivedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [source, dedupeKey, topic, accountID, itemID, WebhookPayloadScrubber.scrub(payload), time])
            return StoredWebhook(
                id: db.lastInsertedRowID, source: source, dedupeKey: dedupeKey, topic: topic, accountID: accountID, itemID: itemID,
                payload: payload, receivedAt: time, processedAt: nil, result: nil)
        }
    }

    /// Webhooks stored, not processed yet and due now (never tried, or their back-off is over),
    /// oldest first; only `source`'s when given, so one source's backlog never hides another's.
    public func pendingWebhooks(source: String? = nil, limit: Int = 100) throws -> [StoredWebhook] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM webhookEvent WHERE state = 'pending' AND (nextAttemptAt IS NULL OR nextAttemptAt <= ?)
                    AND (? IS NULL OR source = ?) ORDER BY id LIMIT ?
                    """,
                arguments: [now(), source, source, limit]
            ).map(StoredWebhook.init(row:))
        }
    }

    /// Marks a webhook processed, with a word on what was done.
    public func markWebhookProcessed(id: Int64, result: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE webhookEvent SET state = 'processed', processedAt = ?, result = ?, nextAttemptAt = NULL WHERE id = ?",
                arguments: [now(), CardDataScrubber.scrub(result), id])
        }
    }

    /// Marks a Jobber account disconnected and forgets its tokens (APP_DISCONNECT).
    public func disconnectJobberAccount(_ accountID: String, actor: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE jobberConnection SET disconnectedAt = ?, accessToken = '', refreshToken = '' WHERE accountID = ?",
                arguments: [now(), accountID])
            try AuditChain.append(
                db, kind: "jobber.disconnect", paymentID: nil, actor: actor, detail: ["account": .text(accountID)], at: now())
        }
    }
}

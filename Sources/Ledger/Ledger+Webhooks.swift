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
                arguments: [source, dedupeKey, topic, accountID, itemID, CardDataScrubber.scrub(payload) ?? "", time])
            return StoredWebhook(
                id: db.lastInsertedRowID, source: source, dedupeKey: dedupeKey, topic: topic, accountID: accountID, itemID: itemID,
                payload: payload, receivedAt: time, processedAt: nil, result: nil)
        }
    }

    /// Webhooks stored but not processed yet, oldest first.
    public func pendingWebhooks(limit: Int = 100) throws -> [StoredWebhook] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhookEvent WHERE processedAt IS NULL ORDER BY id LIMIT ?", arguments: [limit]).map {
                StoredWebhook(
                    id: $0["id"], source: $0["source"], dedupeKey: $0["dedupeKey"], topic: $0["topic"], accountID: $0["accountID"],
                    itemID: $0["itemID"], payload: $0["payload"], receivedAt: $0["receivedAt"], processedAt: $0["processedAt"],
                    result: $0["result"])
            }
        }
    }

    /// Marks a webhook processed, with a word on what was done.
    public func markWebhookProcessed(id: Int64, result: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE webhookEvent SET processedAt = ?, result = ? WHERE id = ?", arguments: [now(), result, id])
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

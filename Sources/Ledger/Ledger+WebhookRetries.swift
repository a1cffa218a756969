import Foundation
import GRDB

/// How long a webhook whose processing failed waits before its next try.
///
/// A failure is assumed passing (a busy ledger, a crash mid-way, a bug fixed by the next
/// release): the event is never given up on, only tried less often, up to once an hour.
public enum WebhookRetrySchedule {
    static let delays: [TimeInterval] = [5, 30, 120, 600, 1800, 3600]

    /// The wait after the `failures`-th failed try (1 for the first).
    public static func delay(afterFailures failures: Int) -> TimeInterval {
        delays[min(max(failures, 1), delays.count) - 1]
    }
}

extension StoredWebhook {
    init(row: Row) {
        self.init(
            id: row["id"], source: row["source"], dedupeKey: row["dedupeKey"], topic: row["topic"], accountID: row["accountID"],
            itemID: row["itemID"], payload: row["payload"], receivedAt: row["receivedAt"], processedAt: row["processedAt"],
            result: row["result"], state: WebhookState(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
            nextAttemptAt: row["nextAttemptAt"], lastError: row["lastError"])
    }
}

extension Ledger {
    /// Records a failed try of a pending webhook and when to try it next; it stays pending.
    /// Returns that time, or nil when the event is no longer pending (another process, such as
    /// `posplus webhooks retry` beside `serve`, finished it meanwhile).
    @discardableResult
    public func deferWebhook(id: Int64, error: String) throws -> Date? {
        try write { db in
            let attempts = try Int.fetchOne(
                db, sql: "SELECT attempts FROM webhookEvent WHERE id = ? AND state = 'pending'", arguments: [id])
            guard let attempts else { return nil }
            let next = now().addingTimeInterval(WebhookRetrySchedule.delay(afterFailures: attempts + 1))
            try db.execute(
                sql: "UPDATE webhookEvent SET attempts = attempts + 1, nextAttemptAt = ?, lastError = ? WHERE id = ?",
                arguments: [next, Self.errorText(error), id])
            return next
        }
    }

    /// Ends a webhook that can never be read as failed: nothing processes it again until
    /// staff retry it. Audited, as it may have been about money.
    public func failWebhook(id: Int64, reason: String, actor: String) throws {
        try write { db in
            let text = Self.errorText(reason)
            try db.execute(
                sql: """
                    UPDATE webhookEvent SET state = 'failed', attempts = attempts + 1, nextAttemptAt = NULL, lastError = ?, result = ?
                    WHERE id = ? AND state = 'pending'
                    """,
                arguments: [text, "failed: \(text)", id])
            guard db.changesCount == 1 else { return }  // finished meanwhile by another process
            try AuditChain.append(
                db, kind: "webhook.failed", paymentID: nil, actor: actor, detail: ["webhook": .integer(id), "reason": .text(text)],
                at: now())
        }
    }

    /// Puts a failed webhook back to pending, due at once, and audits who did it.
    @discardableResult
    public func retryWebhook(id: Int64, actor: String) throws -> StoredWebhook {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM webhookEvent WHERE id = ?", arguments: [id]) else {
                throw LedgerError.invalidRequest("No webhook \(id) in the ledger; `posplus webhooks list` shows them.")
            }
            var stored = StoredWebhook(row: row)
            guard stored.state == .failed else {
                throw LedgerError.invalidRequest(
                    "Webhook \(id) is \(stored.state.rawValue), not failed; only a failed webhook can be retried.")
            }
            try db.execute(sql: "UPDATE webhookEvent SET state = 'pending', nextAttemptAt = NULL WHERE id = ?", arguments: [id])
            try AuditChain.append(
                db, kind: "webhook.retry", paymentID: nil, actor: actor,
                detail: ["webhook": .integer(id), "source": .text(stored.source), "topic": .text(stored.topic)], at: now())
            stored.state = .pending
            stored.nextAttemptAt = nil
            return stored
        }
    }

    /// One stored webhook, whatever its state.
    public func webhook(id: Int64) throws -> StoredWebhook? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM webhookEvent WHERE id = ?", arguments: [id]).map(StoredWebhook.init(row:))
        }
    }

    /// Stored webhooks, newest first; only those in `state` when given.
    public func webhooks(state: WebhookState? = nil, limit: Int = 50) throws -> [StoredWebhook] {
        try read { db in
            let filter = state == nil ? "" : "WHERE state = ?"
            var arguments = StatementArguments()
            if let state { arguments += [state.rawValue] }
            arguments += [limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM webhookEvent \(filter) ORDER BY id DESC LIMIT ?", arguments: arguments)
                .map(StoredWebhook.init(row:))
        }
    }

    /// When the earliest pending webhook (of `source`, when given) that is waiting out a
    /// back-off is due; nil if none is. The service schedules its next pass for then.
    public func nextWebhookDue(source: String? = nil) throws -> Date? {
        try read { db in
            try Date.fetchOne(
                db,
                sql: """
                    SELECT MIN(nextAttemptAt) FROM webhookEvent
                    WHERE state = 'pending' AND nextAttemptAt IS NOT NULL AND (? IS NULL OR source = ?)
                    """,
                arguments: [source, source])
        }
    }

    /// An error's text as stored: bounded, and never a card number.
    private static func errorText(_ error: String) -> String {
        CardDataScrubber.scrub(String(error.prefix(1000))) ?? ""
    }
}

import GRDB

/// One row of `auditEvent`: an append-only, hash-chained account of what happened.
///
/// `hash` is the HMAC-SHA256, under a key derived from the ``LedgerKey``, of the previous
/// event's hash and this event's fields (see ``AuditChain``), so editing or deleting any row
/// breaks the chain from there on. Triggers refuse UPDATE and DELETE; the chain catches whoever
/// drops the triggers, and without the key they cannot recompute it.
public struct AuditEventRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "auditEvent"

    public var seq: Int64
    /// Milliseconds since 1970 UTC. An integer, so the hashed form never depends on how a
    /// date is formatted.
    public var atMillis: Int64
    /// What happened (`payment.begin`, `payment.approve`, `outbox.done`, …).
    public var kind: String
    public var paymentID: Int64?
    /// Who did it: a staff member, `recovery`, `outbox`, `cli`.
    public var actor: String
    /// A compact JSON object with the facts of the event; never card data.
    public var detail: String
    public var previousHash: String
    public var hash: String
}

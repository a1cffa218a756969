import Foundation
import GRDB
import PosPlusCore

/// Appends to and verifies the hash-chained audit log.
///
/// Each event's hash is `SHA-256(previousHash ‖ seq ‖ atMillis ‖ kind ‖ paymentID ‖ actor ‖ detail)`,
/// every field length-prefixed so no two different events can serialise the same way. The
/// first event chains from 64 zeros. `auditHead` holds the newest seq and hash, written in
/// the same transaction, so deleting the newest rows is caught too.
enum AuditChain {
    static let genesisHash = String(repeating: "0", count: 64)

    /// Appends one event inside the caller's transaction.
    @discardableResult
    static func append(
        _ db: Database, kind: String, paymentID: Int64?, actor: String, detail: [String: AuditValue], at time: Date
    ) throws -> AuditEventRecord {
        // Cached statements: this runs in every write transaction, so it must not re-parse SQL.
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM auditHead WHERE id = 1"))
        let previousSeq: Int64 = head?["seq"] ?? 0
        let previousHash: String = head?["hash"] ?? genesisHash
        // Redact, never refuse: refusing would roll back the payment change this event records.
        let detailText = AuditValue.encode(
            detail.mapValues { value in
                if case .text(let text) = value, CardNumberScreen.containsCardNumber(text) { return .text(CardDataScrubber.redacted) }
                return value
            })
        var event = AuditEventRecord(
            seq: previousSeq + 1,
            atMillis: Int64((time.timeIntervalSince1970 * 1000).rounded(.down)),
            kind: kind, paymentID: paymentID, actor: CardDataScrubber.scrub(actor) ?? actor, detail: detailText,
            previousHash: previousHash, hash: "")
        event.hash = hash(of: event)
        // A cached statement, not the record's generic insert: this runs in every write.
        try db.cachedStatement(
            sql:
                "INSERT INTO auditEvent (seq, atMillis, kind, paymentID, actor, detail, previousHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            event.seq, event.atMillis, event.kind, event.paymentID, event.actor, event.detail, event.previousHash, event.hash,
        ])
        try db.cachedStatement(
            sql: """
                INSERT INTO auditHead (id, seq, hash) VALUES (1, ?, ?)
                ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                """
        ).execute(arguments: [event.seq, event.hash])
        return event
    }

    /// The hash an event must carry, given its fields and the hash before it.
    static func hash(of event: AuditEventRecord) -> String {
        CanonicalHash.sha256Hex([
            event.previousHash, String(event.seq), String(event.atMillis), event.kind,
            event.paymentID.map(String.init) ?? "", event.actor, event.detail,
        ])
    }

    /// Walks the whole chain in order and reports the first break.
    static func verify(_ db: Database) throws -> AuditVerification {
        var expectedPrevious = genesisHash
        var expectedSeq: Int64 = 1
        let cursor = try AuditEventRecord.order(Column("seq")).fetchCursor(db)
        while let event = try cursor.next() {
            if event.seq != expectedSeq {
                return .broken(seq: expectedSeq, reason: "event \(expectedSeq) is missing (the next one is \(event.seq))")
            }
            if event.previousHash != expectedPrevious {
                return .broken(seq: event.seq, reason: "event \(event.seq) does not follow from the event before it")
            }
            if hash(of: event) != event.hash {
                return .broken(seq: event.seq, reason: "event \(event.seq) was changed after it was written")
            }
            expectedPrevious = event.hash
            expectedSeq += 1
        }
        let count = expectedSeq - 1
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM auditHead WHERE id = 1")
        let headSeq: Int64 = head?["seq"] ?? 0
        let headHash: String = head?["hash"] ?? genesisHash
        if headSeq != count || headHash != expectedPrevious {
            return .broken(
                seq: count + 1, reason: "the log ends at event \(count) but event \(headSeq) was written; later events were deleted")
        }
        return .intact(events: Int(count))
    }
}

/// The result of checking the audit log.
public enum AuditVerification: Equatable, Sendable, CustomStringConvertible {
    case intact(events: Int)
    /// The chain breaks at `seq`: that row, or one before it, was edited or deleted.
    case broken(seq: Int64, reason: String)

    public var isIntact: Bool { if case .intact = self { return true } else { return false } }

    public var description: String {
        switch self {
        case .intact(let events): return "Audit log intact: \(events) events, every hash verified."
        case .broken(let seq, let reason): return "Audit log broken at event \(seq): \(reason)."
        }
    }
}

/// A value in an audit event's detail: kept to JSON scalars so the encoding is canonical.
public enum AuditValue: Equatable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case text(String)
    case integer(Int64)
    case null

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(_ optional: String?) { self = optional.map(AuditValue.text) ?? .null }

    /// A JSON object with sorted keys and no white space: one text per detail, always.
    static func encode(_ detail: [String: AuditValue]) -> String {
        let members = detail.keys.sorted().map { key -> String in
            let value: String
            switch detail[key]! {
            case .text(let text): value = JSONText.quote(text)
            case .integer(let number): value = String(number)
            case .null: value = "null"
            }
            return JSONText.quote(key) + ":" + value
        }
        return "{" + members.joined(separator: ",") + "}"
    }

}

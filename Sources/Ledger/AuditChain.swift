import Crypto
import Foundation
import GRDB
import PosPlusCore

/// Appends to and verifies the MAC-chained audit log.
///
/// Each event's `hash` is `HMAC-SHA256(auditKey, previousHash ‖ seq ‖ atMillis ‖ kind ‖ paymentID
/// ‖ actor ‖ detail)`, every field length-prefixed so no two different events can serialise the
/// same way. The key is derived from the ``LedgerKey`` kept outside the ledger, so whoever holds
/// only the file can edit rows (dropping the triggers) but cannot compute the MACs that would
/// hide it. The first event chains from 64 zeros. `auditHead` holds the newest seq and MAC,
/// written in the same transaction, so deleting the newest rows is caught too; a truncation that
/// also rewrites `auditHead` is caught by comparing with a head kept elsewhere
/// (`posplus audit verify` prints it).
///
/// Ledgers from before keying had an unkeyed SHA-256 chain; the migration re-keys it once (see
/// ``rekey(_:from:to:)``) and records what it found, so there is one kind of chain to verify and
/// no unkeyed form an attacker could downgrade to.
enum AuditChain {
    static let genesisHash = String(repeating: "0", count: 64)
    /// The event the upgrade to a keyed chain appends, stating how many events it re-keyed and
    /// whether their unkeyed chain was intact then.
    static let keyedKind = "audit.keyed"

    /// The MAC for the transaction running on this thread: ``Ledger``'s `write` binds it around
    /// every transaction, so the dozens of callers of ``append(_:kind:paymentID:actor:detail:at:)``
    /// need not pass the key along.
    @TaskLocal static var mac: AuditMAC? = nil

    /// Appends one event inside the caller's transaction.
    @discardableResult
    static func append(
        _ db: Database, kind: String, paymentID: Int64?, actor: String, detail: [String: AuditValue], at time: Date
    ) throws -> AuditEventRecord {
        // Never write an event nobody could verify: a bug, not something to carry on past.
        guard let mac else { throw LedgerError.storage("an audit event was written outside a ledger transaction") }
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
        event.hash = mac.code(fields(of: event))
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

    /// What an event's MAC (or, before keying, its SHA-256) covers, in order.
    static func fields(of event: AuditEventRecord) -> [String] {
        [
            event.previousHash, String(event.seq), String(event.atMillis), event.kind,
            event.paymentID.map(String.init) ?? "", event.actor, event.detail,
        ]
    }

    /// The unkeyed hash older posplus versions chained with; only the upgrade reads it.
    static func legacyHash(of event: AuditEventRecord) -> String {
        CanonicalHash.sha256Hex(fields(of: event))
    }

    /// Walks the whole chain in order and reports the first break.
    ///
    /// - Parameter keyCheck: the check value of the key the chain was written with (stored in
    ///   the ledger); when it is not `mac`'s key, no event can be checked, and that is said
    ///   plainly rather than as "event 1 was changed".
    static func verify(_ db: Database, mac: AuditMAC, keyCheck: String?, presentedCheck: String) throws -> AuditVerification {
        if let keyCheck, keyCheck != presentedCheck {
            return .broken(
                seq: 1, reason: "it was keyed with another key (the ledger's key is missing or different), so no event can be checked")
        }
        var expectedPrevious = genesisHash
        var expectedSeq: Int64 = 1
        var legacyBreak: (seq: Int64, reason: String)?
        let cursor = try AuditEventRecord.order(Column("seq")).fetchCursor(db)
        while let event = try cursor.next() {
            if event.seq != expectedSeq {
                return .broken(seq: expectedSeq, reason: "event \(expectedSeq) is missing (the next one is \(event.seq))")
            }
            if event.previousHash != expectedPrevious {
                return .broken(seq: event.seq, reason: "event \(event.seq) does not follow from the event before it")
            }
            if mac.code(fields(of: event)) != event.hash {
                return .broken(seq: event.seq, reason: "event \(event.seq) was changed after it was written")
            }
            if event.kind == keyedKind, legacyBreak == nil { legacyBreak = KeyedUpgrade.recordedBreak(in: event.detail) }
            expectedPrevious = event.hash
            expectedSeq += 1
        }
        let count = expectedSeq - 1
        // Every payment appends an event, so an empty log beside payments was emptied: the head
        // row can go with the events, and this is what is left to notice it by.
        if count == 0, try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM payment)") == true {
            return .broken(seq: 1, reason: "the log is empty but the ledger holds payments; its events were deleted")
        }
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM auditHead WHERE id = 1")
        let headSeq: Int64 = head?["seq"] ?? 0
        let headHash: String = head?["hash"] ?? genesisHash
        if headSeq != count || headHash != expectedPrevious {
            return .broken(
                seq: count + 1, reason: "the log ends at event \(count) but event \(headSeq) was written; later events were deleted")
        }
        // Authenticated by the keyed event that states it, so it cannot be removed quietly.
        if let legacyBreak {
            return .broken(seq: legacyBreak.seq, reason: "before the log was keyed, \(legacyBreak.reason)")
        }
        return .intact(events: Int(count))
    }

    /// The newest event's seq and MAC, as `auditHead` holds them.
    static func head(_ db: Database) throws -> AuditHead {
        let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM auditHead WHERE id = 1")
        return AuditHead(seq: row?["seq"] ?? 0, mac: row?["hash"] ?? genesisHash)
    }
}

/// HMAC-SHA256 under a ledger key's audit key, with the key schedule computed once: every write
/// transaction appends an event, so each MAC costs only the hashing of its fields.
///
/// `@unchecked Sendable`: the prepared value is never mutated; ``code(_:)`` works on a copy, and
/// swift-crypto's hashers copy their state on write.
struct AuditMAC: @unchecked Sendable {
    private let prepared: HMAC<SHA256>

    init(key: LedgerKey) { prepared = HMAC<SHA256>(key: key.auditKey) }

    /// The MAC of length-prefixed `fields`, as lower-case hex.
    func code(_ fields: [String]) -> String {
        var mac = prepared
        for field in fields {
            let bytes = Array(field.utf8)
            mac.update(data: Array("\(bytes.count):".utf8))
            mac.update(data: bytes)
        }
        return CanonicalHash.hex(mac.finalize())
    }
}

/// The newest audit event, to be kept somewhere the ledger is not: a later verify with it shows
/// the log was not cut back to an earlier event.
public struct AuditHead: Equatable, Sendable, CustomStringConvertible {
    public var seq: Int64
    public var mac: String

    public init(seq: Int64, mac: String) {
        self.seq = seq
        self.mac = mac
    }

    /// `SEQ:MAC`, the form `posplus audit verify --head` takes back.
    public var description: String { "\(seq):\(mac)" }

    /// Parses `SEQ:MAC`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let seq = Int64(parts[0]), seq >= 0, parts[1].count == 64,
            parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { return nil }
        self.init(seq: seq, mac: String(parts[1]))
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

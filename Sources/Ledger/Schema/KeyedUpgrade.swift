import Foundation
import GRDB

/// Moves a ledger to keyed storage, once: the migration that introduced ``LedgerKey``.
///
/// Why a migration that re-keys the old chain rather than verifying an unkeyed prefix forever:
/// a verifier that still accepts unkeyed SHA-256 events is one an attacker can downgrade to (mark
/// everything "from before keying" and recompute). Re-keying leaves one kind of chain. What the
/// old chain looked like at that moment is not lost: the keyed `audit.keyed` event states how
/// many events were re-keyed and where the unkeyed chain was already broken, and verify keeps
/// reporting that break (the event is MAC'd, so nobody can remove it without breaking the chain).
enum KeyedUpgrade {
    static let migrationName = "2026-12 sealed secrets and keyed audit"

    /// The same triggers as v1, dropped only while a re-key rewrites the MACs.
    static let appendOnlyTriggers = """
        CREATE TRIGGER auditEventNoUpdate BEFORE UPDATE ON auditEvent
          BEGIN SELECT RAISE(ABORT, 'auditEvent is append-only'); END;
        CREATE TRIGGER auditEventNoDelete BEFORE DELETE ON auditEvent
          BEGIN SELECT RAISE(ABORT, 'auditEvent is append-only'); END;
        """

    static func migrate(_ db: Database, key: LedgerKey, at time: Date) throws {
        try db.execute(
            sql: "CREATE TABLE ledgerKey (id INTEGER PRIMARY KEY CHECK (id = 1), keyCheck TEXT NOT NULL)")
        try db.execute(sql: "INSERT INTO ledgerKey (id, keyCheck) VALUES (1, ?)", arguments: [key.check])
        try sealPlaintextTokens(db, key: key)
        let mac = AuditMAC(key: key)
        let result = try rekey(db, from: AuditChain.legacyHash, to: mac)
        guard result.events > 0 else { return }
        var detail: [String: AuditValue] = ["legacyEvents": .integer(result.events)]
        if let broken = result.firstBreak {
            detail["legacyBrokenAt"] = .integer(broken.seq)
            detail["legacyBreak"] = .text(broken.reason)
        }
        try AuditChain.$mac.withValue(mac) {
            _ = try AuditChain.append(db, kind: AuditChain.keyedKind, paymentID: nil, actor: "posplus", detail: detail, at: time)
        }
    }

    /// Seals the token columns an older posplus stored as plaintext.
    static func sealPlaintextTokens(_ db: Database, key: LedgerKey) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT accountID, accessToken, refreshToken FROM jobberConnection")
        for row in rows {
            let account: String = row["accountID"]
            for column in ["accessToken", "refreshToken"] {
                let stored: String = row[column]
                guard !stored.isEmpty, !SealedSecret.isSealed(stored) else { continue }
                let sealed = try SealedSecret.seal(stored, at: JobberTokenColumns.place(column, account: account), key: key)
                try db.execute(sql: "UPDATE jobberConnection SET \(column) = ? WHERE accountID = ?", arguments: [sealed, account])
            }
        }
    }

    /// Rewrites every event's `previousHash` and `hash` under `mac`, checking each against the
    /// chain it had (`oldHash`) on the way.
    /// - Returns: how many events were re-keyed and the first break of the old chain, if any.
    static func rekey(
        _ db: Database, from oldHash: (AuditEventRecord) -> String, to mac: AuditMAC
    ) throws -> (events: Int64, firstBreak: (seq: Int64, reason: String)?) {
        try db.execute(sql: "DROP TRIGGER IF EXISTS auditEventNoUpdate; DROP TRIGGER IF EXISTS auditEventNoDelete")
        var oldPrevious = AuditChain.genesisHash
        var newPrevious = AuditChain.genesisHash
        var expectedSeq: Int64 = 1
        var count: Int64 = 0
        var firstBreak: (seq: Int64, reason: String)?
        // In pages, not one cursor: the rows are updated while they are walked.
        var after: Int64 = 0
        while true {
            let page = try AuditEventRecord.filter(Column("seq") > after).order(Column("seq")).limit(1_000).fetchAll(db)
            guard let last = page.last else { break }
            for var event in page {
                if firstBreak == nil {
                    if event.seq != expectedSeq {
                        firstBreak = (expectedSeq, "event \(expectedSeq) was missing (the next one was \(event.seq))")
                    } else if event.previousHash != oldPrevious {
                        firstBreak = (event.seq, "event \(event.seq) did not follow from the event before it")
                    } else if oldHash(event) != event.hash {
                        firstBreak = (event.seq, "event \(event.seq) had been changed after it was written")
                    }
                }
                oldPrevious = event.hash
                expectedSeq = event.seq + 1
                event.previousHash = newPrevious
                event.hash = mac.code(AuditChain.fields(of: event))
                try db.execute(
                    sql: "UPDATE auditEvent SET previousHash = ?, hash = ? WHERE seq = ?",
                    arguments: [event.previousHash, event.hash, event.seq])
                newPrevious = event.hash
                count += 1
            }
            after = last.seq
        }
        let head = try AuditChain.head(db)
        if firstBreak == nil, head.seq != after || head.mac != oldPrevious {
            firstBreak = (after + 1, "the log ended at event \(after) but event \(head.seq) had been written")
        }
        if count > 0 {
            try db.execute(
                sql: """
                    INSERT INTO auditHead (id, seq, hash) VALUES (1, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                    """,
                arguments: [after, newPrevious])
        }
        try db.execute(sql: appendOnlyTriggers)
        return (count, firstBreak)
    }

    /// The break an `audit.keyed` event records, if it records one.
    static func recordedBreak(in detail: String) -> (seq: Int64, reason: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any],
            let seq = (object["legacyBrokenAt"] as? NSNumber)?.int64Value
        else { return nil }
        return (seq, object["legacyBreak"] as? String ?? "event \(seq) had been edited or deleted")
    }
}

import Crypto
import Foundation
import GRDB
import PosPlusCore
import TestSupport
import Testing

@testable import Ledger

/// The audit chain is keyed with the ledger key: someone holding only the file can edit rows
/// but cannot recompute the MACs, and a head kept elsewhere catches a cut-back log.
@Suite("Ledger: the keyed audit chain")
struct KeyedAuditTests {
    func populated() throws -> (LedgerFixture, DatabaseQueue) {
        let fixture = try LedgerFixture()
        for index in 0..<3 { _ = try fixture.approvedSale(1_000 + Int64(index), key: "k\(index)") }
        return (fixture, try DatabaseQueue(path: fixture.path))
    }

    /// What an attacker with the file and the source can do: edit an event and re-chain every
    /// event from there with `hash`, rewriting auditHead to match.
    func forge(_ raw: DatabaseQueue, from seq: Int64, hash: (AuditEventRecord) -> String) throws {
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS auditEventNoUpdate")
            try db.execute(sql: "UPDATE auditEvent SET actor = 'mallory' WHERE seq = ?", arguments: [seq])
            var previous = try String.fetchOne(db, sql: "SELECT hash FROM auditEvent WHERE seq = ?", arguments: [seq - 1])!
            for var event in try AuditEventRecord.filter(Column("seq") >= seq).order(Column("seq")).fetchAll(db) {
                event.previousHash = previous
                event.hash = hash(event)
                try db.execute(
                    sql: "UPDATE auditEvent SET previousHash = ?, hash = ? WHERE seq = ?",
                    arguments: [event.previousHash, event.hash, event.seq])
                try db.execute(sql: "UPDATE auditHead SET seq = ?, hash = ?", arguments: [event.seq, event.hash])
                previous = event.hash
            }
        }
    }

    @Test func recomputingTheChainWithoutTheKeyIsCaught() throws {
        let (fixture, raw) = try populated()
        // The unkeyed SHA-256 of older versions, then an HMAC under a key the attacker guessed.
        try forge(raw, from: 4, hash: AuditChain.legacyHash)
        #expect(try fixture.ledger.verifyAuditChain() == .broken(seq: 4, reason: "event 4 was changed after it was written"))
        let guess = AuditMAC(key: LedgerKey.generate())
        try forge(raw, from: 4) { guess.code(AuditChain.fields(of: $0)) }
        #expect(try fixture.ledger.verifyAuditChain() == .broken(seq: 4, reason: "event 4 was changed after it was written"))
    }

    @Test func anEventAppendedWithoutTheKeyIsCaught() throws {
        let (fixture, raw) = try populated()
        try raw.write { db in
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM auditHead")!
            var event = AuditEventRecord(
                seq: (head["seq"] as Int64) + 1, atMillis: 0, kind: "payment.refund", paymentID: 1, actor: "mallory", detail: "{}",
                previousHash: head["hash"], hash: "")
            event.hash = AuditChain.legacyHash(of: event)
            try event.insert(db)
            try db.execute(sql: "UPDATE auditHead SET seq = ?, hash = ?", arguments: [event.seq, event.hash])
        }
        #expect(try fixture.ledger.verifyAuditChain() == .broken(seq: 10, reason: "event 10 was changed after it was written"))
    }

    @Test func theHeadKeptElsewhereCatchesALogCutBackWithItsHeadRewritten() throws {
        let (fixture, raw) = try populated()
        let head = try fixture.ledger.auditChainHead()
        let last = try #require(try fixture.ledger.auditEvents().last)
        #expect(head == AuditHead(seq: last.seq, mac: last.hash))
        #expect(AuditHead(head.description) == head)
        #expect(try fixture.ledger.verifyAuditChain(expectedHead: head) == .intact(events: 9))
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER auditEventNoDelete")
            try db.execute(sql: "DELETE FROM auditEvent WHERE seq >= 8")
            try db.execute(sql: "UPDATE auditHead SET seq = 7, hash = (SELECT hash FROM auditEvent WHERE seq = 7)")
        }
        // Without the head the file looks whole; with it, the cut shows.
        #expect(try fixture.ledger.verifyAuditChain().isIntact)
        #expect(
            try fixture.ledger.verifyAuditChain(expectedHead: head)
                == .broken(seq: 9, reason: "event 9, the head kept elsewhere, is gone; the log was cut back"))
    }

    @Test func aLogEmptiedWithItsHeadRowIsCaught() throws {
        let (fixture, raw) = try populated()
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER auditEventNoDelete")
            try db.execute(sql: "DELETE FROM auditEvent; DELETE FROM auditHead")
        }
        #expect(
            try fixture.ledger.verifyAuditChain()
                == .broken(seq: 1, reason: "the log is empty but the ledger holds payments; its events were deleted"))
    }

    @Test func aLedgerVerifiedWithAnotherKeySaysSoRatherThanBlamingAnEvent() throws {
        let (fixture, _) = try populated()
        let other = try Ledger.open(at: fixture.path, key: LedgerKey.generate())
        let result = try other.verifyAuditChain()
        #expect(!result.isIntact)
        #expect(result.description.contains("the ledger's key is missing or different"))
    }
}

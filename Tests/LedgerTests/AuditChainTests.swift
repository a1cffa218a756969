import Foundation
import GRDB
import Ledger
import PosPlusCore
import Testing

@Suite("Ledger: the hash-chained audit log")
struct AuditChainTests {
    /// A ledger with a few payments' worth of events, and a raw connection for tampering.
    func populated() throws -> (LedgerFixture, DatabaseQueue) {
        let fixture = try LedgerFixture()
        for index in 0..<3 { _ = try fixture.approvedSale(1_000 + Int64(index), key: "k\(index)") }
        return (fixture, try DatabaseQueue(path: fixture.path))
    }

    @Test func anUntouchedLogVerifies() throws {
        let (fixture, _) = try populated()
        #expect(try fixture.ledger.verifyAuditChain() == .intact(events: 9))
    }

    @Test func triggersRefuseUpdatesAndDeletes() throws {
        let (_, raw) = try populated()
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "UPDATE auditEvent SET detail = '{}' WHERE seq = 2") } }
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "DELETE FROM auditEvent WHERE seq = 2") } }
    }

    @Test func anEditedEventIsFoundEvenWithTheTriggersDropped() throws {
        let (fixture, raw) = try populated()
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER auditEventNoUpdate")
            try db.execute(sql: "UPDATE auditEvent SET detail = replace(detail, '1001', '9001') WHERE seq = 4")
        }
        #expect(try fixture.ledger.verifyAuditChain() == .broken(seq: 4, reason: "event 4 was changed after it was written"))
    }

    @Test func anEditWithARecomputedHashBreaksTheNextLink() throws {
        let (fixture, raw) = try populated()
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER auditEventNoUpdate")
            // A forger who rewrites event 4's hash still cannot make event 5 point at it.
            try db.execute(sql: "UPDATE auditEvent SET actor = 'mallory', hash = '\(String(repeating: "f", count: 64))' WHERE seq = 4")
        }
        let result = try fixture.ledger.verifyAuditChain()
        #expect(!result.isIntact)
        if case .broken(let seq, _) = result { #expect(seq == 4) }
    }

    @Test func aDeletedEventInTheMiddleIsFound() throws {
        let (fixture, raw) = try populated()
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER auditEventNoDelete")
            try db.execute(sql: "DELETE FROM auditEvent WHERE seq = 5")
        }
        #expect(try fixture.ledger.verifyAuditChain() == .broken(seq: 5, reason: "event 5 is missing (the next one is 6)"))
    }

    @Test func deletingTheNewestEventsIsFound() throws {
        let (fixture, raw) = try populated()
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER auditEventNoDelete")
            try db.execute(sql: "DELETE FROM auditEvent WHERE seq >= 8")
        }
        #expect(
            try fixture.ledger.verifyAuditChain()
                == .broken(seq: 8, reason: "the log ends at event 7 but event 9 was written; later events were deleted"))
    }

    @Test func eventsOfOtherKindsJoinTheSameChain() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.recordAuditEvent(kind: "operator.note", actor: "ada", detail: ["text": "drawer counted", "count": 3])
        try fixture.ledger.saveCard(
            NewCardOnFile(
                clientID: "c", processor: "stripe", token: "tok_x", card: MaskedCard(brand: "MC", last4: "4444"), expiryMonth: 1,
                expiryYear: 2031),
            actor: "ada")
        #expect(try fixture.ledger.verifyAuditChain() == .intact(events: 2))
        #expect(try fixture.ledger.auditEvents().first?.detail == #"{"count":3,"text":"drawer counted"}"#)
    }

    @Test func aCardNumberInAnEventIsRedactedAndTheEventStillRecorded() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.recordAuditEvent(kind: "operator.note", actor: "ada", detail: ["text": "customer read out 4242 4242 4242 4242"])
        #expect(try fixture.ledger.auditEvents().first?.detail == #"{"text":"[redacted: looked like a card number]"}"#)
        #expect(try fixture.ledger.verifyAuditChain().isIntact)
    }
}

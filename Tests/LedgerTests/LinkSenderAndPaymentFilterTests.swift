import Foundation
import GRDB
import PosPlusCore
import Testing

@testable import Ledger

/// What the staff API lists: a technician's own links (by who sent them, also for links sent
/// before the ledger kept the sender), and the day's payments by time, state, invoice and person.
@Suite("Ledger: links by sender, payments by filter")
struct LinkSenderAndPaymentFilterTests {
    func link(_ fixture: LedgerFixture, _ reference: String, by actor: String) throws -> PaymentLinkRecord {
        try fixture.ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_\(reference)", url: "https://pay.example/\(reference)", invoiceID: "inv-1042",
                invoiceNumber: "1042", amount: fixture.usd(4_500), reference: PaymentReference(reference)),
            actor: actor)
    }

    @Test func aLinkNamesItsSenderAndListsFilterByItWhateverTheCase() throws {
        let fixture = try LedgerFixture()
        let tess = try link(fixture, "LTESS1", by: "tess")
        let fred = try link(fixture, "LFRED1", by: "fred")
        #expect(tess.sentBy == "tess" && fred.sentBy == "fred")
        #expect(try fixture.ledger.links(sentBy: "Tess").map(\.id) == [tess.id])
        #expect(try fixture.ledger.links().map(\.id) == [fred.id, tess.id])
        #expect(try fixture.ledger.links(openOnly: true, sentBy: "nobody").isEmpty)
    }

    /// Links recorded before the sender had a column take it from their `link.create` event.
    @Test func linksFromBeforeTheColumnTakeTheirSenderFromTheAuditLog() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-link-sender-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ledger.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try LedgerMigrations.migrator(key: .forTests).migrate(queue, upTo: "2026-12 staff, sessions, API tokens, login failures")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO paymentLink (id, processor, processorLinkID, url, invoiceID, currency, amountMinor, state, reference,
                      createdAt, updatedAt)
                    VALUES (7, 'stripe', 'plink_old', 'https://pay.example/old', 'inv-1', 'USD', 100, 'open', 'LOLD1',
                      '2026-11-30 10:00:00.000', '2026-11-30 10:00:00.000')
                    """)
            let seq = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM auditEvent") ?? 1
            try db.execute(
                sql: """
                    INSERT INTO auditEvent (seq, atMillis, kind, paymentID, actor, detail, previousHash, hash)
                    VALUES (?, 0, 'link.create', NULL, 'tess', '{"amount":100,"link":7}', ?, ?)
                    """, arguments: [seq, String(repeating: "0", count: 64), String(repeating: "1", count: 64)])
        }
        try queue.close()
        let ledger = try Ledger.open(at: path, key: .forTests)
        #expect(try ledger.link(id: 7)?.sentBy == "tess")
    }

    @Test func paymentsAreFilteredByTimeStateInvoiceAndPerson() throws {
        let fixture = try LedgerFixture()
        let start = fixture.clock.now
        let early = try fixture.approvedSale(1_000, key: "early")
        fixture.clock.advance(by: 3_600)
        let noon = fixture.clock.now
        let later = try fixture.approvedSale(2_000, key: "later")
        let declined = try fixture.ledger.begin(
            fixture.sale(500, key: "other", invoice: "1043"), idempotencyKey: IdempotencyKey("other"), operator: "Fred"
        ).payment
        fixture.clock.advance(by: 3_600)

        let ledger = fixture.ledger
        #expect(try ledger.payments(matching: PaymentFilter(createdFrom: noon)).map(\.id) == [declined.id, later.id])
        #expect(try ledger.payments(matching: PaymentFilter(createdFrom: start, createdBefore: noon)).map(\.id) == [early.id])
        #expect(try ledger.payments(matching: PaymentFilter(states: [.intended])).map(\.id) == [declined.id])
        #expect(try ledger.payments(matching: PaymentFilter(invoiceNumber: "1043")).map(\.id) == [declined.id])
        #expect(try ledger.payments(matching: PaymentFilter(operatorName: "fred")).map(\.id) == [declined.id])
        #expect(try ledger.payments(matching: PaymentFilter(limit: 1)).map(\.id) == [declined.id])
    }
}

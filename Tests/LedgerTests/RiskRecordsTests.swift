import Foundation
import GRDB
import PosPlusCore
import Testing

@testable import Ledger

/// What the risk scorer reads (issue 13, part 4): a client's approved payments, its charges in
/// a window, and declines of the same masked card on other clients — from the ledger as it is,
/// nothing more than it keeps.
@Suite("Ledger: the records risk signals read")
struct RiskRecordsTests {
    func charge(_ fixture: LedgerFixture, _ minor: Int64, client: String, key: String, operation: PaymentOperation = .sale)
        throws -> PaymentRecord
    {
        try fixture.ledger.begin(
            PaymentRequest(
                operation: operation, amount: fixture.usd(minor), invoiceID: "inv-\(key)", invoiceNumber: key, clientID: client,
                channel: "front-desk"), idempotencyKey: IdempotencyKey(key), operator: "ada"
        ).payment
    }

    func answer(_ fixture: LedgerFixture, _ payment: PaymentRecord, _ result: AttemptResult) throws -> PaymentRecord {
        let attempt = try fixture.ledger.startAttempt(paymentID: payment.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        return try fixture.ledger.finishAttempt(attempt.id, with: result, actor: "ada")
    }

    @Test func approvedPaymentsRecentChargesAndDeclinesOfTheCardElsewhere() throws {
        let fixture = try LedgerFixture()
        let visa = try MaskedCard(brand: "VISA", last4: "4242")
        let start = fixture.clock.now
        for (index, minor) in [10_000, 12_000].enumerated() {
            let sale = try charge(fixture, Int64(minor), client: "c1", key: "a\(index)")
            _ = try answer(fixture, sale, .approved(AttemptDetails(captured: fixture.usd(Int64(minor)), authCode: "OK", card: visa)))
        }
        _ = try answer(fixture, try charge(fixture, 900, client: "c1", key: "declined-own"), .declined(AttemptDetails(card: visa)))
        _ = try charge(fixture, 500, client: "c2", key: "other-client")
        fixture.clock.advance(by: 600)
        let abandoned = try charge(fixture, 300, client: "c1", key: "abandoned")
        try fixture.ledger.abandon(paymentID: abandoned.id, reason: "test", actor: "ada")
        let elsewhere = try answer(fixture, try charge(fixture, 700, client: "c2", key: "stolen"), .declined(AttemptDetails(card: visa)))
        _ = try answer(
            fixture, try charge(fixture, 700, client: "c3", key: "other-card"),
            .declined(AttemptDetails(card: try MaskedCard(brand: "VISA", last4: "1111"))))
        let refund = try fixture.ledger.begin(
            PaymentRequest(
                operation: .refund, amount: fixture.usd(100), invoiceID: "inv-a0", invoiceNumber: "a0", clientID: "c1",
                originalPaymentID: 1, channel: "front-desk"), idempotencyKey: IdempotencyKey("refund"), operator: "ada")
        #expect(refund.payment.operation == .refund)

        let now = fixture.clock.now
        let records = try fixture.ledger.riskRecords(
            clientID: "c1", recentSince: now.addingTimeInterval(-300), card: visa, declinedSince: start, approvedLimit: 50)
        #expect(records.approvedAmounts == [fixture.usd(12_000), fixture.usd(10_000)], "approved charges, newest first")
        #expect(records.recentCharges.isEmpty, "the abandoned one was never sent; the refund is not a charge; the rest are older")
        #expect(records.cardDeclines.map(\.paymentID) == [elsewhere.id], "the same brand and last four, on another client")
        #expect(records.cardDeclines.first?.clientID == "c2")

        let wider = try fixture.ledger.riskRecords(
            clientID: "c1", recentSince: start, card: nil, declinedSince: start, approvedLimit: 1)
        #expect(wider.approvedAmounts == [fixture.usd(12_000)], "the limit bounds the read")
        #expect(wider.recentCharges.map(\.amount.minorUnits).sorted() == [900, 10_000, 12_000])
        #expect(wider.cardDeclines.isEmpty, "no card known: no lookup")

        let later = try fixture.ledger.riskRecords(
            clientID: "c1", recentSince: now, card: visa, declinedSince: now.addingTimeInterval(1), approvedLimit: 50)
        #expect(later.cardDeclines.isEmpty, "a decline before the lookback does not count")
    }

    /// The approval table is rebuilt to allow `charge`: a ledger from before keeps every
    /// request, its decision and its result, and the waiting queue's index.
    @Test func theRebuiltApprovalTableKeepsEveryRequest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-risk-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ledger.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try LedgerMigrations.migrator(key: .forTests).migrate(queue, upTo: "2026-12 attempts keep the decline's codes")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO approval (id, idempotencyKey, kind, state, summary, reason, amountMinor, currency, channel, orderJSON,
                      requestedBy, requestedAt, decidedBy, decidedAt, note)
                    VALUES (4, 'k-4', 'refund', 'denied', 'refund $60.00', 'over $50.00', 6000, 'USD', 'front-desk', '{}',
                      'bea', '2026-12-01 10:00:00.000', 'max', '2026-12-01 10:05:00.000', 'no'),
                      (5, 'k-5', 'link', 'waiting', 'link $1,234.56', 'over $1,000.00', 123456, 'USD', 'link:stripe', '{}',
                      'tess', '2026-12-01 11:00:00.000', NULL, NULL, NULL)
                    """)
        }
        try queue.close()
        let ledger = try Ledger.open(at: path, key: .forTests)
        let kept = try ledger.approvals()
        #expect(kept.map(\.id) == [4, 5] && kept.map(\.kind) == [.refund, .link])
        #expect(kept[0].decidedBy == "max" && kept[0].note == "no" && kept[1].state == .waiting && kept[1].resultLinkID == nil)
        let held = try ledger.holdForApproval(
            NewApproval(
                idempotencyKey: try IdempotencyKey("k-6"), kind: .charge, summary: "sale of $1,234.56", reason: "risk score 40",
                amount: Money(minorUnits: 123_456, currency: .usd), channel: "front-desk", orderJSON: "{}"), actor: "ada")
        #expect(held.kind == .charge && held.id == 6)
        let indexes = try ledger.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'") }
        #expect(Set(["approvalWaiting", "paymentByClient", "paymentDeclinedCard"]).isSubset(of: Set(indexes)))
    }
}

import Foundation
import GRDB
import PosPlusCore
import Testing

@testable import Ledger

/// "2026-12 approvals hold what issue 13 proposes" rebuilds `approval` once, so that its CHECK
/// allows the kinds issue 13 holds (a risk-held `charge`, a `plan`, ...): SQLite cannot change a
/// CHECK in place. A ledger from before keeps every request with its id, decision and result,
/// the waiting queue and its index; ids go on from the highest kept. The one test of that
/// rebuild (plans and risk holds each added a kind through it).
@Suite struct ApprovalKindsMigrationTests {
    @Test func approvalsFromBeforeTheRebuildKeepTheirIdsDecisionsAndIndexes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-approval-migration-\(UUID().uuidString)")
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
                    VALUES (4, 'refund-big', 'refund', 'waiting', 'refund $60.00', 'over $50.00', 6000, 'USD', 'front-desk', '{}',
                      'fred', '2026-11-30 10:00:00.000', NULL, NULL, NULL),
                      (9, 'link-big', 'link', 'denied', 'link $2,000.00', 'over $1,000.00', 200000, 'USD', 'link:stripe', '{}',
                      'tess', '2026-11-30 11:00:00.000', 'meg', '2026-11-30 12:00:00.000', 'call first')
                    """)
            for kind in ["plan", "charge"] {
                #expect(throws: DatabaseError.self, "the old CHECK refuses \(kind)") {
                    try db.execute(
                        sql: """
                            INSERT INTO approval (idempotencyKey, kind, state, summary, reason, amountMinor, currency, channel, orderJSON,
                              requestedBy, requestedAt) VALUES (?, ?, 'waiting', 's', 'r', 1, 'USD', 'plan', '{}', 'fred',
                              '2026-11-30 10:00:00.000')
                            """, arguments: ["early-\(kind)", kind])
                }
            }
        }
        try queue.close()

        let ledger = try Ledger.open(at: path, key: .forTests)
        let kept = try ledger.approvals()
        #expect(kept.map(\.id) == [4, 9] && kept.map(\.kind) == [.refund, .link])
        #expect(kept.allSatisfy { $0.resultLinkID == nil && $0.resultPaymentID == nil })
        #expect(try ledger.approvals(state: .waiting).map(\.id) == [4])
        let denied = try #require(try ledger.approval(id: 9))
        #expect(denied.kind == .link && denied.state == .denied && denied.decidedBy == "meg" && denied.note == "call first")

        let plan = try ledger.holdForApproval(
            NewApproval(
                idempotencyKey: try IdempotencyKey("plan-1"), kind: .plan, summary: "payment plan 1", reason: "suggest mode",
                amount: Money(minorUnits: 123_456, currency: .usd), channel: "plan", orderJSON: "{\"plan\":1}"),
            actor: "fred")
        #expect(plan.id == 10 && plan.kind == .plan, "ids go on from the highest kept")
        let held = try ledger.holdForApproval(
            NewApproval(
                idempotencyKey: try IdempotencyKey("k-11"), kind: .charge, summary: "sale of $1,234.56", reason: "risk score 40",
                amount: Money(minorUnits: 123_456, currency: .usd), channel: "front-desk", orderJSON: "{}"), actor: "ada")
        #expect(held.id == 11 && held.kind == .charge)

        let indexes = try ledger.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'") }
        #expect(Set(["approvalWaiting", "paymentByClient", "paymentDeclinedCard"]).isSubset(of: Set(indexes)))
    }
}

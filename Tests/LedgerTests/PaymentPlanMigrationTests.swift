import Foundation
import GRDB
import PosPlusCore
import Testing

@testable import Ledger

/// The plans migration rebuilds `approval` to allow the kind `plan`: every request held before
/// keeps its id, its decision and what it made, and the queue still finds those waiting.
@Suite struct PaymentPlanMigrationTests {
    @Test func approvalsFromBeforeThePlansMigrationKeepTheirIdsAndDecisions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-plan-migration-\(UUID().uuidString)")
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
                      (9, 'link-big', 'link', 'denied', 'link $2,000.00', 'over $1,000.00', 200000, 'USD', 'stripe', '{}',
                      'tess', '2026-11-30 11:00:00.000', 'meg', '2026-11-30 12:00:00.000', 'call first')
                    """)
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql: """
                        INSERT INTO approval (idempotencyKey, kind, state, summary, reason, amountMinor, currency, channel, orderJSON,
                          requestedBy, requestedAt) VALUES ('plan-1', 'plan', 'waiting', 's', 'r', 1, 'USD', 'plan', '{}', 'fred',
                          '2026-11-30 10:00:00.000')
                        """)
            }
        }
        try queue.close()

        let ledger = try Ledger.open(at: path, key: .forTests)
        #expect(try ledger.approvals(state: .waiting).map(\.id) == [4])
        let denied = try #require(try ledger.approval(id: 9))
        #expect(denied.kind == .link && denied.state == .denied && denied.decidedBy == "meg" && denied.note == "call first")
        let plan = try ledger.holdForApproval(
            NewApproval(
                idempotencyKey: try IdempotencyKey("plan-1"), kind: .plan, summary: "payment plan 1", reason: "suggest mode",
                amount: Money(minorUnits: 123_456, currency: .usd), channel: "plan", orderJSON: "{\"plan\":1}"),
            actor: "fred")
        #expect(plan.id == 10 && plan.kind == .plan, "ids go on from the highest kept")
    }
}

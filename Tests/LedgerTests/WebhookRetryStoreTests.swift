import Foundation
import GRDB
import TestSupport
import Testing

@testable import Ledger

/// A stored webhook is never lost to a failed try: it waits out a back-off, or, if it can never
/// be read, ends as failed until staff retry it.
@Suite("Webhooks in the ledger: back-off, failed, retry")
struct WebhookRetryStoreTests {
    @Test func aFailedTryKeepsTheEventPendingUntilItsBackOffIsOver() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let stored = try #require(try store(in: ledger, "evt_a"))
        let next = try #require(try ledger.deferWebhook(id: stored.id, error: "database is locked"))
        #expect(next == fixture.clock.now.addingTimeInterval(WebhookRetrySchedule.delay(afterFailures: 1)))
        #expect(try ledger.pendingWebhooks().isEmpty, "not due yet")
        #expect(try ledger.nextWebhookDue() == next)
        fixture.clock.advance(by: WebhookRetrySchedule.delay(afterFailures: 1))
        let due = try #require(try ledger.pendingWebhooks().first)
        #expect(due.id == stored.id && due.attempts == 1 && due.state == .pending && due.lastError == "database is locked")
        try ledger.deferWebhook(id: stored.id, error: "still locked")
        #expect(try ledger.webhook(id: stored.id)?.nextAttemptAt == fixture.clock.now.addingTimeInterval(30))
        try ledger.markWebhookProcessed(id: stored.id, result: "link 1 paid: payment 1")
        #expect(try ledger.nextWebhookDue() == nil)
        #expect(try ledger.webhook(id: stored.id)?.state == .processed)
    }

    @Test func theBackOffGrowsAndNeverGivesUp() {
        let delays = (1...10).map(WebhookRetrySchedule.delay(afterFailures:))
        #expect(delays == [5, 30, 120, 600, 1800, 3600, 3600, 3600, 3600, 3600])
    }

    @Test func anUnreadableEventIsFailedListedAndRetriedWithAnAuditTrail() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let stored = try #require(try store(in: ledger, "evt_b"))
        try ledger.failWebhook(id: stored.id, reason: "invalid JSON at byte 1", actor: "stripe webhook")
        #expect(try ledger.pendingWebhooks().isEmpty)
        let failed = try ledger.webhooks(state: .failed)
        #expect(failed.map(\.id) == [stored.id] && failed.first?.lastError == "invalid JSON at byte 1")
        #expect(try ledger.webhooks().first?.state == .failed)

        try ledger.retryWebhook(id: stored.id, actor: "ada")
        #expect(try ledger.pendingWebhooks().map(\.id) == [stored.id])
        #expect(throws: LedgerError.self) { try ledger.retryWebhook(id: stored.id, actor: "ada") }  // pending, not failed
        let kinds = try ledger.auditEvents().map(\.kind)
        #expect(kinds.contains("webhook.failed") && kinds.contains("webhook.retry"))
        #expect(try ledger.verifyAuditChain().isIntact)
    }

    @Test func eventsEarlierVersionsMarkedFailedComeBackAsFailed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-webhook-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ledger.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try LedgerMigrations.migrator(key: .forTests).migrate(queue, upTo: "2026-11 v6 payments know their batch was closed")
        try queue.write { db in
            for (key, result) in [("evt_lost", "failed: storage error"), ("evt_done", "noted for reconciliation")] {
                try db.execute(
                    sql: """
                        INSERT INTO webhookEvent (source, dedupeKey, topic, payload, receivedAt, processedAt, result)
                        VALUES ('stripe', ?, 'checkout.session.completed', '{}', '2026-11-30 10:00:00.000', '2026-11-30 10:00:01.000', ?)
                        """, arguments: [key, result])
            }
            try db.execute(
                sql: "INSERT INTO webhookEvent (source, dedupeKey, topic, payload, receivedAt) VALUES ('stripe', 'evt_new', 't', '{}', ?)",
                arguments: ["2026-11-30 10:00:02.000"])
        }
        try queue.close()
        let ledger = try Ledger.open(at: path, key: .forTests)
        let states = Dictionary(uniqueKeysWithValues: try ledger.webhooks().map { ($0.dedupeKey, $0.state) })
        #expect(states == ["evt_lost": .failed, "evt_done": .processed, "evt_new": .pending])
        #expect(try ledger.webhooks(state: .failed).first?.lastError == "failed: storage error")
    }

    private func store(in ledger: Ledger, _ key: String) throws -> StoredWebhook? {
        try ledger.storeWebhook(
            source: "stripe", dedupeKey: key, topic: "checkout.session.completed", accountID: nil, itemID: nil, payload: "{}")
    }
}

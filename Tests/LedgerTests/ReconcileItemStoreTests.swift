import Foundation
import Ledger
import Testing

/// Stored reconcile items: found again is the same item, gone from its own window is cleared,
/// a run over another window leaves it alone, and a person's resolution sticks (audited).
@Suite("Ledger: reconcile items across runs")
struct ReconcileItemStoreTests {
    static let day: TimeInterval = 86_400
    static let november = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01 UTC

    func difference(_ key: String, on offset: Double) -> FoundDifference {
        FoundDifference(
            key: key, kind: "missing-write-back", reference: key, invoiceID: "inv", explanation: "no note",
            occurredAt: Self.november.addingTimeInterval(offset * Self.day), detail: "{}", differenceMinor: nil, currency: nil,
            action: "queue")
    }

    @Test func itemsAreKeptPerDifferenceAndClearedOnlyInTheirOwnWindow() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let firstWeek = (Self.november, Self.november.addingTimeInterval(7 * Self.day))
        let secondWeek = (firstWeek.1, firstWeek.1.addingTimeInterval(7 * Self.day))
        var outcome = try ledger.recordReconcileRun(
            [difference("A", on: 1), difference("B", on: 2)], since: firstWeek.0, until: firstWeek.1, actor: "office")
        #expect(outcome.opened == 2)
        outcome = try ledger.recordReconcileRun([difference("A", on: 1)], since: firstWeek.0, until: firstWeek.1, actor: "office")
        #expect(outcome.opened == 0 && outcome.stillOpen == 1 && outcome.cleared == 1)
        #expect(try ledger.reconcileItem(key: "B")?.status == .cleared)

        // Another window finds nothing: the first week's open item is not its to clear.
        outcome = try ledger.recordReconcileRun([], since: secondWeek.0, until: secondWeek.1, actor: "office")
        #expect(outcome.cleared == 0)
        let open = try #require(try ledger.reconcileItem(key: "A"))
        #expect(open.status == .open)

        let resolved = try ledger.resolveReconcileItem(id: open.id, as: .writeOff, note: "paid in cash", by: "dana")
        #expect(resolved.status == .resolved && resolved.resolvedBy == "dana")
        _ = try ledger.recordReconcileRun([difference("A", on: 1)], since: firstWeek.0, until: firstWeek.1, actor: "office")
        #expect(try ledger.reconcileItem(key: "A")?.status == .resolved, "a person's resolution is not undone by the next run")
        #expect(try ledger.reconcileItems().isEmpty)
        #expect(try ledger.auditEvents().contains { $0.kind == "reconcile.resolve" && $0.actor == "dana" })
        #expect(try ledger.verifyAuditChain().isIntact)
    }
}

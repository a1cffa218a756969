import Bridge
import Foundation
import JobberSimulator
import JobberTestSupport
import Ledger
import PosPlusCore
import Testing

/// Reminders as `serve` runs them: planned from the invoice in the Jobber simulator, sent by the
/// outbox as the ledger's clock is stepped, links made by the link service at the Stripe
/// simulator, proposals approved over the API. Real SQLite file and sockets.
@Suite("Reminders of unpaid invoices", .timeLimit(.minutes(2)))
struct InvoiceReminderTests {
    static func world(mode: String, under: String = "500.00") async throws -> APIWorld {
        try await APIWorld.start(
            extra: """
                [reconcile]
                time_zone = "UTC"

                [reminders]
                mode = "\(mode)"
                days = "-3,0,7"
                send_window = "09:00-19:00"
                under = "\(under)"
                """)
    }

    static let invoice1044 = Seed.IDs.invoice(1044).value

    /// Sets the ledger's clock to noon five days before invoice #1044 is due (the simulator's
    /// seed fixes its due date), so every reminder is still ahead; returns the due day's start.
    static func fiveDaysBeforeDue(in world: APIWorld) async throws -> Date {
        let (_, dueDay) = try await world.app.jobber().invoices.dueView(invoiceID: invoice1044)
        let due = try #require(dueDay.flatMap(world.app.config.reminderRules.startOfDay))
        world.clock.advance(due.addingTimeInterval(-5 * 86_400 + 12 * 3_600).timeIntervalSince(world.clock.date))
        return due
    }

    /// Steps the clock to `reminder`'s time and runs what is due, as `serve` does.
    static func reach(_ reminder: ReminderRecord, in world: APIWorld) async throws {
        world.clock.advance(max(0, reminder.sendAt.timeIntervalSince(world.clock.date)) + 1)
        _ = try await world.app.outboxWorker().drain()
    }

    @Test func inAutoModeEachReminderSendsALinkOnItsDayAndAPaymentStopsTheRest() async throws {
        let world = try await Self.world(mode: "auto")
        let due = try await Self.fiveDaysBeforeDue(in: world)
        let planned = try await world.app.invoiceReminders().plan(invoiceID: Self.invoice1044)
        #expect(planned.map(\.day) == [-3, 0, 7])
        #expect(planned.map(\.sendAt) == [-3, 0, 7].map { due.addingTimeInterval(Double($0) * 86_400 + 9 * 3_600) })
        #expect(try world.ledger.jobs().filter { $0.kind == "reminders.send" }.count == 3)
        // The same webhook twice plans nothing new.
        #expect(try await world.app.invoiceReminders().plan(invoiceID: Self.invoice1044).map(\.id) == planned.map(\.id))

        try await Self.reach(planned[0], in: world)
        let first = try #require(try world.ledger.reminder(id: planned[0].id))
        #expect(first.state == .sent && first.linkID != nil, "\(first)")
        #expect(try world.ledger.links(limit: 10).count == 1)

        // Ada pays by cheque, recorded in Jobber: the second reminder finds nothing owed.
        _ = await world.jobber.recordPayment(invoice: Seed.IDs.invoice(1044), cents: 8_999)
        try await Self.reach(planned[1], in: world)
        let rest = try world.ledger.reminders(invoiceID: Self.invoice1044).dropFirst()
        #expect(rest.allSatisfy { $0.state == .skipped && $0.outcome?.contains("nothing is owed") == true }, "\(rest)")
        #expect(try world.ledger.links(limit: 10).count == 1)
        await world.stop()
    }

    @Test func inSuggestModeAReminderWaitsForAPersonAndOverTheLimitNoneIsPlanned() async throws {
        let world = try await Self.world(mode: "suggest")
        _ = try await Self.fiveDaysBeforeDue(in: world)
        let planned = try await world.app.invoiceReminders().plan(invoiceID: Self.invoice1044)
        try await Self.reach(planned[0], in: world)
        let proposed = try #require(try world.ledger.reminder(id: planned[0].id))
        #expect(proposed.state == .proposed && proposed.linkID == nil)
        #expect(try world.ledger.links(limit: 10).isEmpty, "nothing is sent before a person approves")
        let approvalID = try #require(proposed.approvalID)
        let approval = try #require(try world.ledger.approval(id: approvalID))
        #expect(approval.kind == .reminder && approval.reason.contains("3 days before it is due"), "\(approval.reason)")

        let approved = try APIWorld.object(try await world.send(as: "meg", .post, "/api/approvals/\(approvalID)/approve", json: "{}"))
        #expect((approved["link"] as? [String: Any])?["invoiceNumber"] as? String == "1044", "\(approved)")
        #expect(try world.ledger.reminder(id: planned[0].id)?.state == .sent)

        // Invoice #1043's $1,234.56 is over the $500.00 limit: no reminder, and the reason why.
        #expect(try await world.app.invoiceReminders().plan(invoiceID: Seed.IDs.invoice(1043).value).isEmpty)
        await world.stop()
    }

    @Test func quietHoursHoldAReminderTillMorning() async throws {
        let world = try await Self.world(mode: "auto")
        _ = try await Self.fiveDaysBeforeDue(in: world)
        let planned = try await world.app.invoiceReminders().plan(invoiceID: Self.invoice1044)
        // The process was down all day: the job runs at 22:00, and waits.
        world.clock.advance(max(0, planned[0].sendAt.timeIntervalSince(world.clock.date)) + 13 * 3_600)
        _ = try await world.app.outboxWorker().drain()
        #expect(try world.ledger.reminder(id: planned[0].id)?.state == .scheduled)
        let job = try #require(try world.ledger.jobs().first { $0.kind == "reminders.send" && $0.payload.contains("\(planned[0].id)") })
        #expect(job.state == .pending && (job.lastError ?? "").contains("Quiet hours"), "\(job)")
        await world.stop()
    }
}

import Bridge
import Foundation
import JobberSimulator
import JobberTestSupport
import Ledger
import PosPlusCore
import Testing

/// `posplus reminders list --invoice` and `reminders plan` take the invoice as staff see it
/// (its number), a Jobber id still works, and times are on the business's clock, zone named.
/// Invoice #1044 in the Jobber simulator; reminders planned into a real SQLite ledger.
@Suite("Reminders: naming the invoice, and local times", .timeLimit(.minutes(1)))
struct ReminderListingTests {
    static func world() async throws -> APIWorld {
        try await APIWorld.start(
            extra: """
                [reconcile]
                time_zone = "America/New_York"

                [reminders]
                mode = "auto"
                days = "-3,0,7"
                send_window = "09:00-19:00"
                under = "500.00"
                """)
    }

    @Test func theInvoiceNumberAndItsJobberIdBothNameTheInvoiceAndTimesAreLocalWithTheZone() async throws {
        let world = try await Self.world()
        let reminders = try world.app.invoiceReminders()
        let byNumber = try await reminders.invoice(named: "1044")
        let byID = try await reminders.invoice(named: Seed.IDs.invoice(1044).value)
        #expect(byNumber.id == Seed.IDs.invoice(1044).value && byID.number == "1044")
        await #expect(throws: LedgerError.self) { _ = try await reminders.invoice(named: "9999") }

        _ = try await InvoiceReminderTests.fiveDaysBeforeDue(in: world)
        let planned = try await reminders.plan(invoiceID: byNumber.id)
        #expect(planned.count == 3)
        let ledger = try world.ledger
        let listed = try InvoiceReminders<ContinuousClock>.reminders(ofInvoice: "1044", in: ledger)
        #expect(listed.map(\.id) == planned.map(\.id))
        #expect(
            try InvoiceReminders<ContinuousClock>.reminders(ofInvoice: Seed.IDs.invoice(1044).value, in: ledger).map(\.id)
                == planned.map(\.id))
        #expect(try InvoiceReminders<ContinuousClock>.reminders(ofInvoice: "1043", in: ledger).isEmpty)

        // Each goes at the opening of the send window, 09:00 in New York (14:00 UTC in December).
        let zone = world.app.config.reconcile.timeZone
        for reminder in listed {
            let line = ReminderText.line(reminder, timeZone: zone)
            #expect(line.hasPrefix("Reminder \(reminder.id): invoice #1044, "), "\(line)")
            #expect(line.contains(" 09:00 America/New_York, scheduled."), "\(line)")
        }
        await world.stop()
    }
}

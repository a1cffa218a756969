import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

/// `posplus reminders …`: reminders of unpaid invoices (issue 13, part 6). Jobber's invoice
/// webhooks plan them as `serve` runs; these show them, and plan one invoice by hand.
struct RemindersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders",
        abstract: "Reminders of unpaid invoices: what is planned, sent or skipped, and why.",
        subcommands: [List.self, Plan.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List reminders, in the order they go; one invoice's with --invoice.",
            discussion: """
                Times are on the business's clock (reconcile.time_zone), the zone named.
                Example:
                  posplus reminders list --invoice 1044
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only this invoice's: its number (a Jobber id works too).", valueName: "invoice")) var invoice: String?

        func run() throws {
            let app = try global.app()
            let ledger = try app.ledger()
            let reminders =
                try invoice.map { try InvoiceReminders<ContinuousClock>.reminders(ofInvoice: $0, in: ledger) } ?? ledger.reminders()
            guard !reminders.isEmpty else {
                let which = invoice.map { " for invoice \($0)" } ?? ""
                print(
                    "No reminder is planned\(which). They are planned when Jobber tells posplus of a new or changed invoice (reminders.mode)."
                )
                return
            }
            for reminder in reminders { print(ReminderText.line(reminder, timeZone: app.config.reconcile.timeZone)) }
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan an invoice's reminders now from what Jobber says (as its webhook would), and show them.",
            discussion: """
                Nothing is sent now: each reminder goes on its day inside reminders.send_window, and only
                while the invoice is unpaid and its balance is at most reminders.under.
                Example:
                  posplus reminders plan 1044
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The invoice's number (a Jobber id works too).", valueName: "invoice")) var number: String

        func run() async throws {
            let app = try global.app()
            guard app.config.reminders.mode != .off else {
                throw ValidationError("reminders.mode is off: nothing is planned. Set it to suggest or auto in the config.")
            }
            let reminders = try app.invoiceReminders()
            let invoice = try await reminders.invoice(named: number)
            let planned = try await reminders.plan(invoiceID: invoice.id)
            guard !planned.isEmpty else {
                let reason = app.config.reminderRules.refusal(balance: invoice.balance, payable: invoice.status.isPayable)
                print("No reminder for invoice #\(invoice.number): \(reason ?? "every reminder day has passed").")
                return
            }
            for reminder in planned { print(ReminderText.line(reminder, timeZone: app.config.reconcile.timeZone)) }
        }
    }
}

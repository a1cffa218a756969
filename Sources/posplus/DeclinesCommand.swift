import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore
import Receivables

/// `posplus declines …`: failed-payment recovery (issue 13, part 2).
///
/// Named after the `[declines]` section, and not `recovery`: `posplus recover` already settles
/// payments whose answer was lost, and two commands one letter apart doing different things
/// would send someone to the wrong one.
struct DeclinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "declines",
        abstract: "Failed-payment recovery: what posplus does about declined payments, and the office's tasks.",
        subcommands: [Plan.self, List.self, Show.self, Tasks.self, Done.self, Stop.self])

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a declined payment's class, the reason, and the proposed next steps. Changes nothing.",
            discussion: """
                Soft declines of a saved card are tried again on the days in declines.retry_days, inside
                declines.retry_window in reconcile.time_zone; hard ones never retry the same card and get
                a link to pay another way (emailed to a client with no phone that takes texts). The plan
                assumes the invoice is still unpaid; a payment stops it. A decline whose recovery has
                ended says so and why, and proposes nothing.
                Example:
                  posplus declines plan 42
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The declined payment's ledger id.", valueName: "payment-id"))
        var paymentID: Int64

        func run() async throws {
            let app = try global.app()
            let ledger = try app.ledger()
            guard let payment = try ledger.payment(id: paymentID) else {
                throw ValidationError("No payment \(paymentID) in the ledger; `posplus payments list --state declined` lists them.")
            }
            guard let evidence = DeclineEvidence(payment: payment, attempts: try ledger.attempts(paymentID: payment.id)) else {
                throw ValidationError(
                    "Payment \(paymentID) is \(payment.state.rawValue), not declined or returned: there is nothing to recover.")
            }
            let invoice = payment.invoiceNumber.map { " on invoice #\($0)" } ?? ""
            let amount = PaymentView(payment).requested.text
            print("Payment \(payment.id): \(payment.operation.displayName.lowercased()) of \(amount)\(invoice), \(payment.state.rawValue).")
            print("Mode: declines.mode = \(app.config.declines.mode.rawValue)\(modeNote(app.config.declines.mode))")
            for line in try await app.declinePlanLines(for: payment, evidence: evidence) { print(line) }
        }

        private func modeNote(_ mode: AutomationMode) -> String {
            switch mode {
            case .off: return " (nothing is done on its own; this is what suggest or auto would propose)"
            case .suggest: return " (each step waits for a person)"
            case .auto: return " (steps run on their own)"
            }
        }
    }
}

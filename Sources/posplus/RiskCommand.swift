import ArgumentParser
import Bridge
import Foundation
import PosPlusCore
import Receivables

/// `posplus risk …`: the risk signals (issue 13, part 4), explained.
struct RiskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "What the risk signals would make of a charge.",
        subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show which risk signals a charge would fire, its score, and whether it would wait. Changes nothing.",
            discussion: """
                The invoice is read from Jobber and the client's record from the ledger, as a charge would
                read them now; the signals are scored whatever risk.mode is. Nothing is recorded or sent.
                Examples:
                  posplus risk check --invoice 1043
                  posplus risk check --invoice 1043 --amount 900.00 --keyed
                  posplus risk check --invoice 1043 --card 3
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The invoice number staff see (1043).", valueName: "number")) var invoice: String
        @Option(help: ArgumentHelp("The amount to charge (default: the balance).", valueName: "amount")) var amount: String?
        @Flag(help: "The card would be keyed in by hand on the terminal.") var keyed = false
        @Option(help: ArgumentHelp("The saved card to charge (its id in `posplus card list`).", valueName: "id")) var card: Int64?

        func run() async throws {
            let app = try global.app()
            let requested = try amount.map { text throws in try Money(parsing: text, currency: app.config.currency) }
            if let requested, !requested.isPositive {
                throw ValidationError("The amount must be more than zero, for example --amount 25.00.")
            }
            let check = try await app.riskCheck(invoiceNumber: invoice, amount: requested, keyed: keyed, savedCardID: card)
            print("Invoice #\(check.invoiceNumber) for \(check.clientName): \(check.amount.formatted)\(keyed ? ", keyed" : "").")
            print(
                "Risk score \(check.assessment.score) (risk.mode = \(check.settings.mode.rawValue), risk.hold_at = \(check.settings.holdAt))."
            )
            if check.assessment.signals.isEmpty { print("No signal fires.") }
            for signal in check.assessment.signals { print("  +\(signal.weight) \(signal.sentence)") }
            print(Self.verdict(check))
        }

        static func verdict(_ check: RiskCheck) -> String {
            switch check.settings.mode {
            case .off: "risk.mode is off: it would go ahead unscored."
            case .suggest: check.wouldHold ? "It would wait for a manager (suggest: any signal waits)." : "It would go ahead."
            case .auto:
                check.wouldHold
                    ? "It would wait for a manager (the score is at or above \(check.settings.holdAt))."
                    : "It would go ahead (below \(check.settings.holdAt)); its signals would be audited."
            }
        }
    }
}

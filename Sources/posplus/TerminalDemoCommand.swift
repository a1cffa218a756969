import ArgumentParser
import Bridge
import Logging
import PosPlusCore
import Terminal

extension Terminals {
    /// `posplus terminals demo`: six sample transactions, printed as staff would read them.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run six sample transactions on the simulator (or a terminal in demo mode).",
            discussion: """
                A sale, a partial refund, a void, saving a card and charging it, a declined card and a \
                partial approval, using the demo-mode amounts ($20.01 declines, $30.01 approves $10.00).
                Refuses to run on a terminal that is not the posplus simulator unless you pass \
                --demo-mode-terminal: on a live terminal these would be real charges.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: TerminalTarget

        @Flag(help: "The terminal is a real one switched to demo mode (no real money moves).")
        var demoModeTerminal = false

        func validate() throws { try target.requireOne() }

        func run() async throws {
            let config = target.name == nil ? PosPlusConfig(ledgerPath: "") : try global.app().config
            var logger = Logger(label: "posplus.demo")
            logger.logLevel = .warning
            let (driver, place) = try target.driver(config: config, logger: logger)
            let status = try await driver.status()
            guard status.serialNumber.hasPrefix("SIM") || demoModeTerminal else {
                throw ValidationError(
                    "\(place) is terminal \(status.serialNumber), not the simulator. If it is in demo mode, pass --demo-mode-terminal.")
            }
            print("Terminal \(status.serialNumber) (\(status.model ?? "unknown model")) on \(place)\n")
            var references = SystemRandomNumberGenerator()
            func next() -> PaymentReference { PaymentReference.random(using: &references) }
            let usd = { (cents: Int64) in Money(minorUnits: cents, currency: .usd) }

            let sale = try await driver.sale(usd(46_000), reference: next(), invoice: "1042")
            show("1. Sale of $460.00 for invoice #1042", sale)
            show(
                "2. Partial refund of $60.00 on that sale", try await driver.refund(usd(6_000), of: sale.original, reference: next()),
                as: "REFUNDED")
            let second = try await driver.sale(usd(12_500), reference: next(), invoice: "1043")
            show("3. Sale of $125.00 for invoice #1043", second)
            show("   …voided before the batch closed", try await driver.void(second.original, reference: next()), as: "VOIDED")
            let saved = try await driver.tokenize(reference: next())
            show("4. Save the customer's card on file", saved, as: "CARD SAVED")
            if let token = saved.token {
                show(
                    "   …charge the saved card $89.00",
                    try await driver.tokenSale(usd(8_900), token: token, reference: next(), invoice: "1044"))
            }
            show("5. Sale of $20.01 (a card the bank declines)", try await driver.sale(usd(2_001), reference: next()))
            show("6. Sale of $30.01 (a card with only $10.00 available)", try await driver.sale(usd(3_001), reference: next()))
            // The end of the day: what these driver-only transactions took settles, and the
            // terminal starts a fresh batch for the payments posplus records next.
            let batch = try await driver.closeBatch()
            print("7. Close the batch for the day")
            print("   \(batch.message): \(batch.count) transactions, \(batch.total.formatted) to settle\n")
        }

        func show(_ title: String, _ result: TerminalResult, as verb: String = "APPROVED") {
            print(title)
            print("   " + Self.line(result, verb: verb) + "\n")
        }

        /// One line a front-desk person can act on; `verb` names what an approval did.
        static func line(_ result: TerminalResult, verb: String = "APPROVED") -> String {
            let card = result.card.map { " — \($0.display)" } ?? ""
            let auth = result.authCode.map { ", auth \($0)" } ?? ""
            let amount = result.approvedAmount?.formatted ?? ""
            switch result.outcome {
            case .approved:
                let token = result.token.map { ", token \($0.prefix(6))…\($0.suffix(4))" } ?? ""
                let shown = result.approvedAmount?.isZero == true ? "" : " \(amount)"
                return "\(verb)\(shown)\(card)\(auth)\(token)"
            case .partiallyApproved(let due):
                return "PARTIALLY APPROVED: \(amount) taken\(card)\(auth); \(due.formatted) still due — ask for another payment"
            case .declined(let kind):
                let why: String
                switch kind {
                case .host(let code): why = "the bank said no (code \(code))"
                case .invalidCard: why = "invalid card"
                case .cvvOrAvs: why = "security code or address check failed"
                case .other: why = result.message
                }
                return "DECLINED: \(why) — ask for another card"
            case .aborted: return "CANCELLED on the terminal; nothing was charged"
            case .duplicate: return "DUPLICATE: the terminal already has this transaction; check before charging again"
            case .rejected(let reason): return "NOT PROCESSED: \(reason)"
            case .unknown(let reason): return "OUTCOME UNKNOWN: \(reason) — do not charge again; it will be looked up"
            }
        }
    }
}

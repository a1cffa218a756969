import ArgumentParser
import Bridge
import Foundation
import PosPlusCore

extension Terminals {
    /// `posplus terminals close-batch NAME`: end of day on one terminal.
    struct CloseBatch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close-batch",
            abstract: "Close a terminal's batch: the day's card payments settle.",
            discussion: """
                The terminal closes its batch first; then the ledger marks the same payments settled (after \
                this a payment can be refunded but no longer voided). Both counts and totals are printed side by \
                side; the command exits 1 if they differ, or if a payment on the terminal is still in doubt (run \
                `posplus recover` first).
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: TerminalTarget
        @OptionGroup var by: OperatorOption

        func validate() throws { try target.requireOne() }

        func run() async throws {
            let app = try global.app(label: "posplus.batch")
            let channel = try target.channel(in: app)
            let closing = try app.batchClosing()
            let result = try await closing.close(on: channel, operator: by.name)
            print("Batch closed on \(channel.name): \(result.terminal.message)")
            print("  terminal: \(result.terminal.count) payments, \(result.terminal.total.formatted)")
            print("  ledger:   \(result.ledger.count) payments, \(result.ledger.total.formatted)")
            if !result.inDoubt.isEmpty {
                print("  in doubt: payment \(result.inDoubt.map(String.init).joined(separator: ", ")) — run `posplus recover`")
            }
            guard result.matches, result.inDoubt.isEmpty else {
                print("The terminal and the ledger differ; nothing was changed to hide it. Look into it before the next batch.")
                throw ExitCode(1)
            }
            print("They match to the cent.")
        }
    }
}

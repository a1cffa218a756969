import Ledger
import Logging
import PosPlusCore
import Terminal

/// Closing a terminal's batch at the end of the day, in the terminal and in the ledger.
///
/// The terminal goes first (the day's card payments settle with the processor), then the
/// ledger marks the same payments closed and settled — a settled payment can only be refunded,
/// no longer voided. The two counts and totals are returned side by side; a difference is for
/// the office to look into, not something this step papers over. Jobber is not involved.
public struct BatchClosing: Sendable {
    public let ledger: Ledger
    /// The business's currency (POSLink batch totals carry none).
    public let currency: Currency
    public let logger: Logger

    public init(ledger: Ledger, currency: Currency, logger: Logger) {
        self.ledger = ledger
        self.currency = currency
        self.logger = logger
    }

    /// A batch closed on a terminal, side by side with what the ledger held in it.
    public struct Result: Equatable, Sendable {
        public var terminal: BatchSummary
        public var ledger: LedgerBatch
        /// Payments on this terminal still in doubt: one of them may be in the batch.
        public var inDoubt: [Int64]

        /// The terminal's count and total are the ledger's, to the cent.
        public var matches: Bool { terminal.count == ledger.count && terminal.total == ledger.total }
    }

    public func close(on channel: TerminalChannel, operator actor: String) async throws -> Result {
        let inDoubt = try ledger.inDoubtPayments().filter { $0.channel == channel.name }.map(\.id)
        let terminal = try await channel.closeBatch()
        let closed = try ledger.closeBatch(
            channel: channel.name, currency: currency, actor: actor, terminal: (terminal.count, terminal.total))
        let result = Result(terminal: terminal, ledger: closed, inDoubt: inDoubt)
        if !result.matches {
            logger.warning(
                "batch totals differ",
                metadata: [
                    "channel": "\(channel.name)", "terminal": "\(terminal.count) / \(terminal.total.formatted)",
                    "ledger": "\(closed.count) / \(closed.total.formatted)",
                ])
        }
        return result
    }
}

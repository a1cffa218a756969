import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Terminal
import TestSupport
import Testing

@testable import Bridge

/// The one place a terminal's answer becomes what the ledger records. Pure mapping, so these
/// are plain values; the end-to-end suites run the same code against the PAX simulator.
@Suite("Terminal channel: answers as the ledger records them")
struct TerminalChannelTests {
    func result(_ outcome: TerminalOutcome, amount: Money?) -> TerminalResult {
        TerminalResult(outcome: outcome, approvedAmount: amount, resultCode: "000000", message: "OK")
    }

    @Test func anApprovalWithoutAnAmountMeansWhatWasAsked() {
        // Some terminals answer a void with no amount, or zero: the ledger then takes the requested one.
        for amount in [nil, Money.zero(.usd)] {
            guard case .approved(let details) = TerminalChannel.attemptResult(result(.approved, amount: amount), operation: .void) else {
                Issue.record("not approved")
                continue
            }
            #expect(details.captured == nil)
        }
    }

    @Test func aBankDebitIsPendingAndUncertaintyStaysUnknown() {
        let usd = Money(minorUnits: 8_999, currency: .usd)
        guard case .pending = TerminalChannel.attemptResult(result(.approved, amount: usd), operation: .achDebit) else {
            Issue.record("an accepted bank debit is pending, not approved")
            return
        }
        #expect(
            TerminalChannel.attemptResult(result(.unknown(reason: "no reply"), amount: nil), operation: .sale)
                == .unknown(reason: "no reply"))
        guard case .declined(let details) = TerminalChannel.attemptResult(result(.duplicate, amount: nil), operation: .sale) else {
            Issue.record("a duplicate moved no money")
            return
        }
        #expect(details.message?.contains("duplicate") == true)
    }

    /// Reconciliation reads the open batch through the channel: the records as the terminal
    /// has them, and a terminal that cannot be asked is "unavailable", never an empty list.
    @Test func theOpenBatchIsReadThroughTheChannel() async throws {
        let simulator = PAXSimulator()
        defer { simulator.stop() }
        let timeouts = POSLinkTimeouts(
            connect: .seconds(2), ack: .milliseconds(300), response: .seconds(10), eot: .milliseconds(200), administrative: .seconds(2))
        let driver = PAXDriver(
            connection: .tcp(host: "127.0.0.1", port: try simulator.startTCP()), timeouts: timeouts, logger: Logger(label: "test"))
        let reference = try PaymentReference("CHAN0001")
        _ = try await driver.sale(Money(minorUnits: 4_200, currency: .usd), reference: reference)
        let listed = try await TerminalChannel(name: "front-desk", driver: driver).batchRecords()
        #expect(listed.map(\.reference) == [reference])
        #expect(listed.map(\.approvedAmount) == [Money(minorUnits: 4_200, currency: .usd)])

        let dead = UnlistenedPort()
        let unreachable = PAXDriver(
            connection: .tcp(host: "127.0.0.1", port: dead.port), timeouts: timeouts, logger: Logger(label: "test"))
        await #expect {
            try await TerminalChannel(name: "back-office", driver: unreachable).batchRecords()
        } throws: { error in
            guard case PaymentChannelError.unavailable(let reason) = error else { return false }
            return reason.hasPrefix("back-office: ")
        }
    }
}

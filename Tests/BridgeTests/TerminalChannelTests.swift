import Ledger
import PosPlusCore
import Terminal
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
}

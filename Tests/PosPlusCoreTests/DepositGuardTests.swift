import PosPlusCore
import Testing

@Suite("Charge guard: a quote's deposit")
struct DepositGuardTests {
    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    func quote(_ status: QuoteStatus, outstanding: Int64 = 30_000) -> QuoteSnapshot {
        QuoteSnapshot(
            id: "Z2lkOi8vSm9iYmVyL1F1b3RlLzc4", number: "78", status: status, total: usd(150_000), depositAmount: usd(30_000),
            outstandingDeposit: usd(outstanding), clientID: "c1", clientName: "Ada Lovelace")
    }

    @Test(arguments: [QuoteStatus.awaitingResponse, .approved])
    func aQuoteWithTheClientTakesItsDepositOrPartOfIt(status: QuoteStatus) throws {
        try ChargeGuard().checkDeposit(usd(30_000), on: quote(status))
        try ChargeGuard().checkDeposit(usd(10_000), on: quote(status))
    }

    @Test(
        arguments: [
            (QuoteStatus.draft, "Quote #78 is still a draft in Jobber — send it to the client before taking a deposit."),
            (.changesRequested, "The client asked for changes to quote #78; update and resend it before taking a deposit."),
            (.converted, "Quote #78 is converted in Jobber; take the payment on its invoice instead."),
            (.archived, "Quote #78 is archived in Jobber; take the payment on its invoice instead."),
            (
                .unrecognized("on_hold"),
                "Quote #78 has the status \"on_hold\", which posplus does not know; it will not take a deposit on it."
            ),
        ])
    func otherStatusesAreRefusedWithTheirReason(status: QuoteStatus, message: String) throws {
        #expect {
            try ChargeGuard().checkDeposit(usd(30_000), on: quote(status))
        } throws: { ($0 as? ChargeRefusal)?.description == message }
    }

    @Test func theAmountMustFitWhatIsStillToCollect() throws {
        #expect(throws: ChargeRefusal.exceedsDeposit(quote: "78", amount: usd(30_001), outstanding: usd(30_000))) {
            try ChargeGuard().checkDeposit(usd(30_001), on: quote(.approved))
        }
        #expect(throws: ChargeRefusal.noDepositDue(quote: "78")) {
            try ChargeGuard().checkDeposit(usd(1), on: quote(.approved, outstanding: 0))
        }
        #expect(throws: ChargeRefusal.notPositive(usd(0))) { try ChargeGuard().checkDeposit(usd(0), on: quote(.approved)) }
        let cad = Money(minorUnits: 100, currency: try Currency(code: "CAD"))
        #expect(throws: ChargeRefusal.quoteCurrencyMismatch(quote: "78", quoteCurrency: "USD", chargeCurrency: "CAD")) {
            try ChargeGuard().checkDeposit(cad, on: quote(.approved))
        }
        let limited = ChargeGuard(limits: ChargeLimits(minimum: usd(500)))
        #expect(throws: ChargeRefusal.belowMinimum(amount: usd(499), minimum: usd(500))) {
            try limited.checkDeposit(usd(499), on: quote(.approved))
        }
    }

    @Test func statusesRoundTripJobbersWireValues() {
        for value in ["draft", "awaiting_response", "changes_requested", "approved", "converted", "archived", "on_hold"] {
            #expect(QuoteStatus(jobberValue: value).jobberValue == value)
        }
        #expect(QuoteStatus(jobberValue: "AWAITING_RESPONSE") == .awaitingResponse)
        #expect(QuoteStatus.awaitingResponse.displayName == "awaiting response")
    }
}

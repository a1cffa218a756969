import PosPlusCore
import Testing

@Suite("Charge guard: what must hold before any money is asked for")
struct ChargeGuardTests {
    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    func invoice(_ status: InvoiceStatus, balance: Int64 = 45_000) -> InvoiceSnapshot {
        InvoiceSnapshot(
            id: "Z2lkOi8vSm9iYmVyL0ludm9pY2UvMTA0Mg==", number: "1042", status: status, total: usd(45_000), balance: usd(balance),
            clientID: "c1", clientName: "Ada Lovelace")
    }

    @Test(arguments: [InvoiceStatus.awaitingPayment, .pastDue, .sentNotDue])
    func payableInvoicesAcceptTheirBalance(status: InvoiceStatus) throws {
        try ChargeGuard().check(ProposedCharge(amount: usd(45_000), intent: .fullBalance), against: invoice(status))
    }

    @Test(
        arguments: [
            (InvoiceStatus.draft, "Invoice #1042 is still a draft in Jobber — send it before charging."),
            (.paid, "Invoice #1042 is already paid in Jobber; there is nothing to charge."),
            (.badDebt, "Invoice #1042 is marked as bad debt in Jobber; reopen it there before charging."),
            (.unrecognized("on_hold"), "Invoice #1042 has the status \"on_hold\", which posplus does not know; it will not charge it."),
        ])
    func unpayableStatusesAreRefusedWithTheirReason(status: InvoiceStatus, message: String) throws {
        #expect {
            try ChargeGuard().check(ProposedCharge(amount: usd(45_000), intent: .fullBalance), against: invoice(status))
        } throws: { ($0 as? ChargeRefusal)?.description == message }
    }

    @Test func moreThanTheBalanceIsRefused() throws {
        #expect(throws: ChargeRefusal.exceedsBalance(invoice: "1042", amount: usd(45_001), balance: usd(45_000))) {
            try ChargeGuard().check(ProposedCharge(amount: usd(45_001), intent: .partial), against: invoice(.awaitingPayment))
        }
        #expect(
            ChargeRefusal.exceedsBalance(invoice: "1042", amount: usd(45_001), balance: usd(45_000)).description
                == "$450.01 is more than the $450.00 still owed on invoice #1042.")
    }

    @Test func lessThanTheBalanceMustBeDeclaredPartial() throws {
        let check = ChargeGuard()
        #expect(throws: ChargeRefusal.partialNotDeclared(invoice: "1042", amount: usd(4_500), balance: usd(45_000))) {
            try check.check(ProposedCharge(amount: usd(4_500), intent: .fullBalance), against: invoice(.awaitingPayment))
        }
        try check.check(ProposedCharge(amount: usd(4_500), intent: .partial), against: invoice(.awaitingPayment))
        try check.check(ProposedCharge(amount: usd(4_500), intent: .deposit), against: invoice(.sentNotDue))
    }

    @Test func zeroNegativeAndForeignAmountsAreRefused() throws {
        let check = ChargeGuard()
        #expect(throws: ChargeRefusal.notPositive(usd(0))) {
            try check.check(ProposedCharge(amount: usd(0), intent: .partial), against: invoice(.awaitingPayment))
        }
        #expect(throws: ChargeRefusal.notPositive(usd(-100))) {
            try check.check(ProposedCharge(amount: usd(-100), intent: .partial), against: invoice(.awaitingPayment))
        }
        #expect(throws: ChargeRefusal.currencyMismatch(invoice: "1042", invoiceCurrency: "USD", chargeCurrency: "CAD")) {
            try check.check(
                ProposedCharge(amount: Money(minorUnits: 100, currency: .cad), intent: .partial), against: invoice(.awaitingPayment))
        }
        #expect(throws: ChargeRefusal.nothingOwed(invoice: "1042")) {
            try check.check(ProposedCharge(amount: usd(100), intent: .partial), against: invoice(.awaitingPayment, balance: 0))
        }
    }

    @Test func configuredLimitsBoundEveryCharge() throws {
        let check = ChargeGuard(limits: ChargeLimits(minimum: usd(100), maximum: usd(20_000)))
        #expect(throws: ChargeRefusal.belowMinimum(amount: usd(99), minimum: usd(100))) {
            try check.check(ProposedCharge(amount: usd(99), intent: .partial), against: invoice(.awaitingPayment))
        }
        #expect(throws: ChargeRefusal.aboveMaximum(amount: usd(45_000), maximum: usd(20_000))) {
            try check.check(ProposedCharge(amount: usd(45_000), intent: .fullBalance), against: invoice(.awaitingPayment))
        }
        try check.check(ProposedCharge(amount: usd(20_000), intent: .partial), against: invoice(.awaitingPayment))
    }

    @Test func statusesRoundTripJobbersWireValues() throws {
        for value in ["draft", "awaiting_payment", "past_due", "sent_not_due", "paid", "bad_debt", "something_new"] {
            #expect(InvoiceStatus(jobberValue: value).jobberValue == value)
        }
        #expect(InvoiceStatus(jobberValue: "AWAITING_PAYMENT") == .awaitingPayment)
    }
}

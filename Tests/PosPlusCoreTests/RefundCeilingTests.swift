import PosPlusCore
import Testing

@Suite("Refund ceiling: captured minus every refund")
struct RefundCeilingTests {
    func dollars(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    func approvedSale(_ minor: Int64) throws -> Payment {
        try Payment(operation: .sale, requested: dollars(minor)).applying(.send).applying(.approve(captured: dollars(minor)))
    }

    @Test func partialRefundsRepeatUpToTheCapturedAmount() throws {
        var payment = try approvedSale(10_000)
        payment = try payment.applying(.refund(dollars(2_500)))
        #expect(payment.state == .partiallyRefunded)
        payment = try payment.applying(.refund(dollars(2_500)))
        #expect(payment.refundCeiling.remaining == dollars(5_000))
        payment = try payment.applying(.refund(dollars(5_000)))
        #expect(payment.state == .refunded)
        #expect(payment.refunded == dollars(10_000))
    }

    @Test func aRefundAboveWhatIsLeftIsRefused() throws {
        let payment = try approvedSale(10_000).applying(.refund(dollars(9_000)))
        #expect(throws: PaymentTransitionError.refundExceedsCeiling(requested: dollars(1_001), remaining: dollars(1_000))) {
            try payment.applying(.refund(dollars(1_001)))
        }
        #expect(
            PaymentTransitionError.refundExceedsCeiling(requested: dollars(1_001), remaining: dollars(1_000)).description
                == "Cannot refund $10.01: only $10.00 is left to refund on this payment.")
    }

    @Test func aPartiallyApprovedSaleRefundsOnlyWhatWasCaptured() throws {
        let payment = try Payment(operation: .sale, requested: dollars(3_001)).applying(.send)
            .applying(.partiallyApprove(captured: dollars(1_000)))
        #expect(throws: PaymentTransitionError.refundExceedsCeiling(requested: dollars(3_001), remaining: dollars(1_000))) {
            try payment.applying(.refund(dollars(3_001)))
        }
        #expect(try payment.applying(.refund(dollars(1_000))).state == .refunded)
    }

    @Test func zeroNegativeAndForeignRefundsAreRefused() throws {
        let ceiling = RefundCeiling(captured: dollars(100), refunded: dollars(0))
        #expect(throws: PaymentTransitionError.self) { try ceiling.check(dollars(0)) }
        #expect(throws: PaymentTransitionError.self) { try ceiling.check(dollars(-1)) }
        #expect(throws: PaymentTransitionError.self) { try ceiling.check(Money(minorUnits: 1, currency: .cad)) }
        #expect(RefundCeiling(captured: dollars(100), refunded: dollars(150)).remaining == dollars(0))
    }

    @Test func settledCardPaymentsCanStillBeRefundedButNotVoided() throws {
        let settled = try approvedSale(5_000).applying(.settle)
        #expect(try settled.applying(.refund(dollars(5_000))).state == .refunded)
        #expect(throws: PaymentTransitionError.self) { try settled.applying(.void) }
    }
}

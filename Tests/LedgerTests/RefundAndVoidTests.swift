import Foundation
import Ledger
import PosPlusCore
import Testing

@Suite("Ledger: refunds and voids against the original payment")
struct RefundAndVoidTests {
    func refund(_ minor: Int64, of original: PaymentRecord, fixture: LedgerFixture, key: String) -> PaymentRequest {
        PaymentRequest(
            operation: .refund, amount: fixture.usd(minor), invoiceID: original.invoiceID, originalPaymentID: original.id,
            channel: "front-desk")
    }

    /// Begins, sends and approves a refund; returns the original as it stands afterwards.
    @discardableResult
    func approveRefund(_ minor: Int64, of original: PaymentRecord, fixture: LedgerFixture, key: String) throws -> PaymentRecord {
        let row = try fixture.ledger.begin(
            refund(minor, of: original, fixture: fixture, key: key), idempotencyKey: IdempotencyKey(key), operator: "ada"
        ).payment
        let attempt = try fixture.ledger.startAttempt(paymentID: row.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        try fixture.ledger.finishAttempt(attempt.id, with: .approved(AttemptDetails(captured: fixture.usd(minor))), actor: "ada")
        return try #require(try fixture.ledger.payment(id: original.id))
    }

    @Test func splitRefundsAddUpToTheCapturedAmountAndNoFurther() throws {
        let fixture = try LedgerFixture()
        let sale = try fixture.approvedSale(10_000, key: "sale")
        #expect(try approveRefund(2_500, of: sale, fixture: fixture, key: "r1").state == .partiallyRefunded)
        #expect(try approveRefund(2_500, of: sale, fixture: fixture, key: "r2").refundedMinor == 5_000)
        #expect(throws: LedgerError.transition(.refundExceedsCeiling(requested: fixture.usd(5_001), remaining: fixture.usd(5_000)))) {
            try fixture.ledger.begin(
                refund(5_001, of: sale, fixture: fixture, key: "r3"), idempotencyKey: IdempotencyKey("r3"), operator: "ada")
        }
        let done = try approveRefund(5_000, of: sale, fixture: fixture, key: "r4")
        #expect(done.state == .refunded)
        #expect(done.refundedMinor == 10_000)
        #expect(try fixture.ledger.reversals(of: sale.id).count == 3)
    }

    @Test func refundsInFlightReserveTheirShareOfTheCeiling() throws {
        let fixture = try LedgerFixture()
        let sale = try fixture.approvedSale(6_000, key: "sale")
        // Two staff members start $50 refunds before either terminal answers.
        _ = try fixture.ledger.begin(
            refund(5_000, of: sale, fixture: fixture, key: "a"), idempotencyKey: IdempotencyKey("a"), operator: "ada")
        #expect(throws: LedgerError.transition(.refundExceedsCeiling(requested: fixture.usd(5_000), remaining: fixture.usd(1_000)))) {
            try fixture.ledger.begin(
                refund(5_000, of: sale, fixture: fixture, key: "b"), idempotencyKey: IdempotencyKey("b"), operator: "bob")
        }
    }

    @Test func concurrentRefundsFromTwoConnectionsNeverExceedTheCeiling() async throws {
        let fixture = try LedgerFixture()
        let sale = try fixture.approvedSale(10_000, key: "sale")
        let other = try fixture.reopen()
        let ledgers = [fixture.ledger, other]
        // 20 refunds of $10 race on two connection pools; only 10 fit under $100.
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let request = PaymentRequest(
                        operation: .refund, amount: Money(minorUnits: 1_000, currency: .usd), originalPaymentID: sale.id,
                        channel: "front-desk")
                    return (try? ledgers[index % 2].begin(request, idempotencyKey: IdempotencyKey("race-\(index)"), operator: "t\(index)"))
                        != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(accepted == 10)
    }

    @Test func aVoidReversesTheWholePayment() throws {
        let fixture = try LedgerFixture()
        let sale = try fixture.approvedSale(7_500, key: "sale")
        let partialVoid = PaymentRequest(operation: .void, amount: fixture.usd(100), originalPaymentID: sale.id, channel: "front-desk")
        #expect(throws: LedgerError.self) { try fixture.ledger.begin(partialVoid, idempotencyKey: IdempotencyKey("v0"), operator: "ada") }

        let void = PaymentRequest(operation: .void, amount: fixture.usd(7_500), originalPaymentID: sale.id, channel: "front-desk")
        let row = try fixture.ledger.begin(void, idempotencyKey: IdempotencyKey("v1"), operator: "ada").payment
        let attempt = try fixture.ledger.startAttempt(paymentID: row.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        try fixture.ledger.finishAttempt(attempt.id, with: .approved(AttemptDetails()), actor: "ada")
        #expect(try fixture.ledger.payment(id: sale.id)?.state == .voided)
        // Nothing can be refunded or voided again.
        #expect(throws: LedgerError.self) {
            try fixture.ledger.begin(
                refund(100, of: sale, fixture: fixture, key: "r"), idempotencyKey: IdempotencyKey("r"), operator: "ada")
        }
    }

    @Test func aDeclinedRefundLeavesTheOriginalAlone() throws {
        let fixture = try LedgerFixture()
        let sale = try fixture.approvedSale(7_500, key: "sale")
        let row = try fixture.ledger.begin(
            refund(500, of: sale, fixture: fixture, key: "r"), idempotencyKey: IdempotencyKey("r"), operator: "ada"
        ).payment
        let attempt = try fixture.ledger.startAttempt(paymentID: row.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        try fixture.ledger.finishAttempt(attempt.id, with: .declined(AttemptDetails(message: "HOST REJECTED")), actor: "ada")
        #expect(try fixture.ledger.payment(id: sale.id)?.refundedMinor == 0)
        #expect(try fixture.ledger.payment(id: sale.id)?.state == .approved)
    }

    @Test func refundsAndVoidsMustNameAnOriginalAndOthersMustNot() throws {
        let fixture = try LedgerFixture()
        let orphan = PaymentRequest(operation: .refund, amount: fixture.usd(100), channel: "front-desk")
        #expect(throws: LedgerError.invalidRequest("A refund needs the payment it acts on.")) {
            try fixture.ledger.begin(orphan, idempotencyKey: IdempotencyKey("o"), operator: "ada")
        }
        let sale = try fixture.approvedSale(100, key: "sale")
        var confused = fixture.sale(100, key: "c")
        confused.originalPaymentID = sale.id
        #expect(throws: LedgerError.invalidRequest("A sale does not act on an earlier payment.")) {
            try fixture.ledger.begin(confused, idempotencyKey: IdempotencyKey("c"), operator: "ada")
        }
    }
}

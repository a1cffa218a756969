import Foundation
import PosPlusCore
import Testing

@testable import Ledger

/// What the risk scorer reads (issue 13, part 4): a client's approved payments, its charges in
/// a window, and declines of the same masked card on other clients — from the ledger as it is,
/// nothing more than it keeps.
@Suite("Ledger: the records risk signals read")
struct RiskRecordsTests {
    func charge(_ fixture: LedgerFixture, _ minor: Int64, client: String, key: String, operation: PaymentOperation = .sale)
        throws -> PaymentRecord
    {
        try fixture.ledger.begin(
            PaymentRequest(
                operation: operation, amount: fixture.usd(minor), invoiceID: "inv-\(key)", invoiceNumber: key, clientID: client,
                channel: "front-desk"), idempotencyKey: IdempotencyKey(key), operator: "ada"
        ).payment
    }

    func answer(_ fixture: LedgerFixture, _ payment: PaymentRecord, _ result: AttemptResult) throws -> PaymentRecord {
        let attempt = try fixture.ledger.startAttempt(paymentID: payment.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        return try fixture.ledger.finishAttempt(attempt.id, with: result, actor: "ada")
    }

    @Test func approvedPaymentsRecentChargesAndDeclinesOfTheCardElsewhere() throws {
        let fixture = try LedgerFixture()
        let visa = try MaskedCard(brand: "VISA", last4: "4242")
        let start = fixture.clock.now
        for (index, minor) in [10_000, 12_000].enumerated() {
            let sale = try charge(fixture, Int64(minor), client: "c1", key: "a\(index)")
            _ = try answer(fixture, sale, .approved(AttemptDetails(captured: fixture.usd(Int64(minor)), authCode: "OK", card: visa)))
        }
        _ = try answer(fixture, try charge(fixture, 900, client: "c1", key: "declined-own"), .declined(AttemptDetails(card: visa)))
        _ = try charge(fixture, 500, client: "c2", key: "other-client")
        fixture.clock.advance(by: 600)
        let abandoned = try charge(fixture, 300, client: "c1", key: "abandoned")
        try fixture.ledger.abandon(paymentID: abandoned.id, reason: "test", actor: "ada")
        let elsewhere = try answer(fixture, try charge(fixture, 700, client: "c2", key: "stolen"), .declined(AttemptDetails(card: visa)))
        _ = try answer(
            fixture, try charge(fixture, 700, client: "c3", key: "other-card"),
            .declined(AttemptDetails(card: try MaskedCard(brand: "VISA", last4: "1111"))))
        let refund = try fixture.ledger.begin(
            PaymentRequest(
                operation: .refund, amount: fixture.usd(100), invoiceID: "inv-a0", invoiceNumber: "a0", clientID: "c1",
                originalPaymentID: 1, channel: "front-desk"), idempotencyKey: IdempotencyKey("refund"), operator: "ada")
        #expect(refund.payment.operation == .refund)

        let now = fixture.clock.now
        let records = try fixture.ledger.riskRecords(
            clientID: "c1", recentSince: now.addingTimeInterval(-300), card: visa, declinedSince: start, approvedLimit: 50)
        #expect(records.approvedAmounts == [fixture.usd(12_000), fixture.usd(10_000)], "approved charges, newest first")
        #expect(records.recentCharges.isEmpty, "the abandoned one was never sent; the refund is not a charge; the rest are older")
        #expect(records.cardDeclines.map(\.paymentID) == [elsewhere.id], "the same brand and last four, on another client")
        #expect(records.cardDeclines.first?.clientID == "c2")

        let wider = try fixture.ledger.riskRecords(
            clientID: "c1", recentSince: start, card: nil, declinedSince: start, approvedLimit: 1)
        #expect(wider.approvedAmounts == [fixture.usd(12_000)], "the limit bounds the read")
        #expect(wider.recentCharges.map(\.amount.minorUnits).sorted() == [900, 10_000, 12_000])
        #expect(wider.cardDeclines.isEmpty, "no card known: no lookup")

        let later = try fixture.ledger.riskRecords(
            clientID: "c1", recentSince: now, card: visa, declinedSince: now.addingTimeInterval(1), approvedLimit: 50)
        #expect(later.cardDeclines.isEmpty, "a decline before the lookback does not count")
    }
}

import Foundation
import Ledger
import PosPlusCore
import Testing

/// A decline's codes are processor text: whatever arrives, the answer is recorded and the
/// codes are kept in the shape a later lookup can use.
@Suite struct DeclineCodeStorageTests {
    func declined(_ fixture: LedgerFixture, codes: DeclineCodes, key: String) throws -> (PaymentRecord, AttemptRecord?) {
        let payment = try fixture.ledger.begin(fixture.sale(5_000, key: key), idempotencyKey: IdempotencyKey(key), operator: "ada").payment
        let attempt = try fixture.ledger.startAttempt(paymentID: payment.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        let recorded = try fixture.ledger.finishAttempt(
            attempt.id, with: .declined(AttemptDetails(message: "Your card was declined.", codes: codes)), actor: "ada")
        // Read back through a second connection: what is on disk, not what was in memory.
        return (recorded, try fixture.reopen().attempts(paymentID: payment.id).last)
    }

    @Test func anOddOversizedCodeIsStoredTrimmedAndTheDeclineIsStillRecorded() throws {
        let fixture = try LedgerFixture()
        let odd = "  stolen_card\n\u{0}" + String(repeating: "x", count: 5_000) + " "
        let (payment, attempt) = try declined(
            fixture, codes: DeclineCodes(hostCode: " 51 \r\n", gatewayCode: "card_declined", gatewayDeclineCode: odd), key: "odd")
        #expect(payment.state == .declined && payment.message == "Your card was declined.")
        let stored = try #require(attempt)
        #expect(stored.outcome == .declined)
        #expect(stored.hostCode == "51")
        #expect(stored.gatewayCode == "card_declined")
        #expect(stored.gatewayDeclineCode?.hasPrefix("stolen_card") == true)
        #expect(stored.gatewayDeclineCode?.count == DeclineCodes.maximumLength)
        #expect(try fixture.ledger.verifyAuditChain().isIntact)
    }

    @Test func aCodeOfNothingButBlanksIsNoCodeAndACardNumberIsNeverStored() throws {
        let fixture = try LedgerFixture()
        let (_, attempt) = try declined(
            fixture, codes: DeclineCodes(hostCode: " \t ", gatewayCode: "🙃", gatewayDeclineCode: "4242 4242 4242 4242"), key: "blank")
        let stored = try #require(attempt)
        #expect(stored.hostCode == nil && stored.gatewayCode == nil)
        #expect(stored.gatewayDeclineCode?.contains("4242424242424242") == false)
        #expect(stored.outcome == .declined)
    }

    @Test func anAnswerWithoutCodesStoresNone() throws {
        let fixture = try LedgerFixture()
        let (_, attempt) = try declined(fixture, codes: DeclineCodes(), key: "none")
        #expect(try #require(attempt).codes == DeclineCodes())
    }
}

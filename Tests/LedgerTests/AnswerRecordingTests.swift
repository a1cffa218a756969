import Foundation
import Ledger
import PosPlusCore
import Testing

/// Once money may have moved, the answer is recorded whatever words it came in: a terminal's
/// "approved" of less than was asked, a "partial approval" without its amount, follow-up work
/// the outbox will not keep, a late answer after a lookup already recorded one.
@Suite("Ledger: every answer is recorded")
struct AnswerRecordingTests {
    func sent(_ fixture: LedgerFixture, _ minor: Int64, key: String, operator actor: String = "ada") throws -> (Int64, Int64) {
        let payment = try fixture.ledger.begin(fixture.sale(minor, key: key), idempotencyKey: IdempotencyKey(key), operator: actor).payment
        let attempt = try fixture.ledger.startAttempt(paymentID: payment.id, reference: fixture.referenceGenerator.next(), actor: actor)
        return (payment.id, attempt.id)
    }

    func note(_ text: String) -> NewOutboxJob {
        NewOutboxJob(kind: "jobber.writeBack", dedupeKey: "note-\(UUID().uuidString)", payload: #"{"message":"\#(text)"}"#)
    }

    /// A terminal that approves $0.02 of a $50.00 sale left the payment `sent` with an error.
    @Test func anApprovalOfLessThanAskedIsAPartialApprovalWithTheRestDue() throws {
        let fixture = try LedgerFixture()
        let (id, attempt) = try sent(fixture, 5_000, key: "two-cents")
        let recorded = try fixture.ledger.finishAttempt(
            attempt, with: .approved(AttemptDetails(captured: fixture.usd(2), authCode: "A1")), actor: "ada", jobs: [note("Paid $0.02")])
        #expect(recorded.state == .partiallyApproved && recorded.capturedMinor == 2)
        #expect(recorded.payment.amountDue == fixture.usd(4_998))
        #expect(try fixture.ledger.attempts(paymentID: id).last?.outcome == .partiallyApproved)
        #expect(try fixture.ledger.jobs().count == 1, "money moved: its note is queued")
    }

    @Test func aPartialApprovalIsReadByTheAmountItTook() throws {
        let fixture = try LedgerFixture()
        let (_, noAmount) = try sent(fixture, 5_000, key: "no-amount")
        let unknown = try fixture.ledger.finishAttempt(
            noAmount, with: .partiallyApproved(AttemptDetails()), actor: "ada", jobs: [note("x")])
        #expect(unknown.state == .unknown, "money moved, amount not said: in doubt, to be looked up")
        #expect(try fixture.ledger.jobs().isEmpty, "no note for money whose amount is not known")

        let (_, everything) = try sent(fixture, 5_000, key: "everything", operator: "bob")
        let whole = try fixture.ledger.finishAttempt(
            everything, with: .partiallyApproved(AttemptDetails(captured: fixture.usd(5_000))), actor: "bob")
        #expect(whole.state == .approved && whole.capturedMinor == 5_000)

        let (_, nothing) = try sent(fixture, 5_000, key: "nothing", operator: "cy")
        let zero = try fixture.ledger.finishAttempt(
            nothing, with: .partiallyApproved(AttemptDetails(captured: fixture.usd(0))), actor: "cy")
        #expect(zero.state == .declined)
    }

    /// An operator name that looked like a card number made the outbox refuse the Jobber note,
    /// which rolled back the record of an approval: the payment stayed `sent` for good.
    @Test func followUpWorkTheOutboxRefusesNeverStopsTheAnswer() throws {
        let fixture = try LedgerFixture()
        let (id, attempt) = try sent(fixture, 5_000, key: "approved")
        let recorded = try fixture.ledger.finishAttempt(
            attempt, with: .approved(AttemptDetails(captured: fixture.usd(5_000))), actor: "ada",
            jobs: [note("Paid by 4111 1111 1111 1111")])
        #expect(recorded.state == .approved)
        #expect(try fixture.ledger.jobs().isEmpty)
        let anomaly = try fixture.ledger.auditEvents(paymentID: id).last(where: { $0.kind == "payment.anomaly" })
        #expect(anomaly?.detail.contains("looked like card data") == true)
        #expect(try fixture.ledger.verifyAuditChain().isIntact)
        let stored = try String(contentsOfFile: fixture.path, encoding: .isoLatin1)
        #expect(!stored.contains("4111 1111 1111 1111"))
    }

    @Test func theLedgerNeverKeepsACardNumberAsWhoDidIt() throws {
        let fixture = try LedgerFixture()
        #expect(throws: LedgerError.cardDataRefused(field: "the operator name")) {
            try fixture.ledger.begin(fixture.sale(100, key: "k"), idempotencyKey: IdempotencyKey("k"), operator: "4111111111111111")
        }
        #expect(try fixture.ledger.payments().isEmpty)
        #expect(throws: IdentifierError.self) { try IdempotencyKey("k-4000056655665556") }
        #expect(throws: IdentifierError.self) { try OperatorName("4111 1111 1111 1111") }
        #expect(throws: IdentifierError.self) { try OperatorName("ada\nFORGED LINE") }
        #expect(throws: IdentifierError.self) { try OperatorName(" ada") }
        #expect(throws: IdentifierError.self) { try OperatorName(String(repeating: "a", count: 65)) }
        #expect(try OperatorName("Zoë O'Neil-Smith").rawValue == "Zoë O'Neil-Smith")
        #expect(try IdempotencyKey("charge-8f14e45f-ceea-467f-a0e6-1234567890ab").rawValue.hasPrefix("charge-"))
        let refusal = try #require(throws: IdentifierError.self) { try IdempotencyKey("k-4000056655665556") }
        #expect(!refusal.description.contains("4000056655665556"), "an error never repeats the number")
    }

    /// Free text checked at the edge: card numbers in any disguise a person might type are
    /// refused; ordinary names, keys and ids are not.
    @Test(
        arguments: [
            "4111.1111.1111.1111", "4111_1111_1111_1111", "4111/1111/1111/1111", "41111111 11111111", "4111 - 1111 - 1111 - 1111",
            "４１１１１１１１１１１１１１１１", "k-4000056655665556", "ada 4111111111111111",
        ])
    func cardNumbersInDisguiseAreRefused(text: String) {
        #expect(CardNumberScreen.mayHoldCardNumber(text), "\(text)")
        #expect(throws: IdentifierError.self) { try OperatorName(text) }
    }

    @Test(arguments: ["4111.1111.1111.1111", "4111_1111_1111_1111", "4111/1111/1111/1111", "k-4000056655665556"])
    func keysThatLookLikeCardNumbersAreRefused(text: String) {
        #expect(throws: IdentifierError.self) { try IdempotencyKey(text) }
    }

    @Test(arguments: ["Ada Lovelace", "charge-8f14e45f-ceea-467f-a0e6-1234567890ab", "Z2lkOi8vSm9iYmVyL0NsaWVudC8x", "desk-2026-12-02-001"])
    func ordinaryTextIsNot(text: String) {
        #expect(!CardNumberScreen.mayHoldCardNumber(text), "\(text)")
    }

    @Test func aRefusedValueIsShownWithoutItsControlCharacters() {
        let refusal = #expect(throws: IdentifierError.self) { try OperatorName("ana\u{1B}]0;pwned\u{07}") }
        #expect(refusal?.description.contains("\u{1B}") == false && refusal?.description.contains("\\u{1b}") == true)
    }

    /// Voiding a refund left its original marked refunded while the money went back to the
    /// business, so the next charge overcharged the customer.
    @Test func onlyAChargeCanBeVoided() throws {
        let fixture = try LedgerFixture()
        let sale = try fixture.approvedSale(10_000, key: "sale")
        let refund = try fixture.ledger.begin(
            PaymentRequest(
                operation: .refund, amount: fixture.usd(3_000), invoiceID: "inv-1042", originalPaymentID: sale.id, channel: "front-desk"),
            idempotencyKey: IdempotencyKey("refund"), operator: "ada"
        ).payment
        let attempt = try fixture.ledger.startAttempt(paymentID: refund.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        try fixture.ledger.finishAttempt(attempt.id, with: .approved(AttemptDetails(captured: fixture.usd(3_000))), actor: "ada")
        #expect(throws: LedgerError.self) {
            try fixture.ledger.begin(
                PaymentRequest(
                    operation: .void, amount: fixture.usd(3_000), invoiceID: "inv-1042", originalPaymentID: refund.id, channel: "front-desk"
                ),
                idempotencyKey: IdempotencyKey("void-refund"), operator: "ada")
        }
        #expect(try fixture.ledger.payment(id: sale.id)?.refundedMinor == 3_000)
    }

    /// Two runs with the same key: a lookup by one recorded the answer, then the other's own
    /// answer arrived and was refused ("already finished as approved"), failing that run.
    @Test func aLateAnswerToAnAnsweredAttemptReturnsThePaymentAsRecorded() throws {
        let fixture = try LedgerFixture()
        let (id, attempt) = try sent(fixture, 5_000, key: "twice")
        let details = AttemptDetails(captured: fixture.usd(5_000), authCode: "A1")
        _ = try fixture.ledger.finishAttempt(attempt, with: .approved(details), actor: "recovery", jobs: [note("Paid")])
        let late = try fixture.ledger.finishAttempt(attempt, with: .approved(details), actor: "ada", jobs: [note("Paid again")])
        #expect(late.state == .approved && late.id == id)
        #expect(try fixture.ledger.jobs().count == 1, "the late answer queues nothing more")
        let odd = try fixture.ledger.finishAttempt(attempt, with: .declined(AttemptDetails()), actor: "ada")
        #expect(odd.state == .approved)
        #expect(try fixture.ledger.auditEvents(paymentID: id).contains { $0.kind == "payment.anomaly" })
    }
}

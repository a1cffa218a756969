import Foundation
import GRDB
import Ledger
import PosPlusCore
import Testing

@Suite("Ledger: payments, attempts and idempotency on a real SQLite file")
struct PaymentLifecycleTests {
    @Test func writerRunsInWALWithFullSynchronousCommits() throws {
        let fixture = try LedgerFixture()
        let settings = try fixture.ledger.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)  // FULL: a committed payment survives power loss
    }

    @Test func theLedgerFileIsOwnerOnly() throws {
        let fixture = try LedgerFixture()
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func aSaleGoesFromIntentToApprovedWithItsAuditTrail() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let begun = try ledger.begin(fixture.sale(46_000, key: "k1"), idempotencyKey: IdempotencyKey("k1"), operator: "ada")
        guard case .created(let payment) = begun else { Issue.record("expected a new payment"); return }
        #expect(payment.state == .intended)

        let reference = try PaymentReference("P0000000000000A1")
        let attempt = try ledger.startAttempt(paymentID: payment.id, reference: reference, actor: "ada")
        #expect(try ledger.payment(id: payment.id)?.state == .sent)
        #expect(try ledger.inDoubtPayments().map(\.id) == [payment.id])

        let card = try MaskedCard(brand: "VISA", last4: "4242")
        let approved = try ledger.finishAttempt(
            attempt.id,
            with: .approved(AttemptDetails(captured: fixture.usd(46_000), resultCode: "000000", authCode: "123456", card: card)),
            actor: "ada")
        #expect(approved.state == .approved)
        #expect(approved.capturedMinor == 46_000)
        #expect(approved.maskedCard == "VISA •••• 4242")
        #expect(approved.authCode == "123456")
        #expect(try ledger.payment(reference: reference)?.id == payment.id)
        #expect(try ledger.inDoubtPayments().isEmpty)
        #expect(try ledger.auditEvents(paymentID: payment.id).map(\.kind) == ["payment.begin", "attempt.start", "attempt.finish"])
    }

    @Test func sameKeyAndSameRequestIsTheSamePayment() throws {
        let fixture = try LedgerFixture()
        let first = try fixture.ledger.begin(fixture.sale(1_000, key: "k"), idempotencyKey: IdempotencyKey("k"), operator: "ada")
        let again = try fixture.ledger.begin(fixture.sale(1_000, key: "k"), idempotencyKey: IdempotencyKey("k"), operator: "bob")
        #expect(again == .existing(first.payment))
        #expect(try fixture.ledger.payments().count == 1)
    }

    @Test func sameKeyWithADifferentRequestIsRefused() throws {
        let fixture = try LedgerFixture()
        let first = try fixture.ledger.begin(fixture.sale(1_000, key: "k"), idempotencyKey: IdempotencyKey("k"), operator: "ada").payment
        #expect(throws: LedgerError.idempotencyKeyReused(key: "k", existingPaymentID: first.id)) {
            try fixture.ledger.begin(fixture.sale(1_001, key: "k"), idempotencyKey: IdempotencyKey("k"), operator: "ada")
        }
        #expect(try fixture.ledger.payments().count == 1)
    }

    @Test func anUnknownOutcomeBlocksANewAttemptUntilLookedUp() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let payment = try ledger.begin(fixture.sale(2_000, key: "k"), idempotencyKey: IdempotencyKey("k"), operator: "ada").payment
        let first = try ledger.startAttempt(paymentID: payment.id, reference: PaymentReference("REF1"), actor: "ada")
        #expect(try ledger.finishAttempt(first.id, with: .unknown(reason: "no reply in 120 s"), actor: "ada").state == .unknown)

        // No blind re-send: the unknown attempt must be resolved first.
        #expect(throws: LedgerError.attemptInProgress(paymentID: payment.id, reference: "REF1")) {
            try ledger.startAttempt(paymentID: payment.id, reference: PaymentReference("REF2"), actor: "ada")
        }
        // The lookup says the terminal never saw it: the payment is an intent again.
        #expect(try ledger.finishAttempt(first.id, with: .notFound, actor: "recovery").state == .intended)
        let second = try ledger.startAttempt(paymentID: payment.id, reference: PaymentReference("REF2"), actor: "ada")
        #expect(second.number == 2)
        try ledger.finishAttempt(second.id, with: .approved(AttemptDetails(captured: fixture.usd(2_000))), actor: "ada")
        #expect(try ledger.attempts(paymentID: payment.id).map(\.outcome) == [.notFound, .approved])
        // A reference is never reused, even across payments.
        let other = try ledger.begin(fixture.sale(1, key: "k2"), idempotencyKey: IdempotencyKey("k2"), operator: "ada").payment
        #expect(throws: LedgerError.self) {
            try ledger.startAttempt(paymentID: other.id, reference: PaymentReference("REF2"), actor: "ada")
        }
    }

    @Test func anUnknownAttemptResolvedAsApprovedIsAdopted() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let payment = try ledger.begin(fixture.sale(2_000, key: "k"), idempotencyKey: IdempotencyKey("k"), operator: "ada").payment
        let attempt = try ledger.startAttempt(paymentID: payment.id, reference: PaymentReference("REF1"), actor: "ada")
        try ledger.finishAttempt(attempt.id, with: .unknown(reason: "cable pulled"), actor: "ada")
        let adopted = try ledger.finishAttempt(
            attempt.id, with: .approved(AttemptDetails(captured: fixture.usd(2_000), authCode: "LATE01")), actor: "recovery")
        #expect(adopted.state == .approved)
        #expect(adopted.authCode == "LATE01")
        // A later, contradicting answer does not undo the recorded one; it is kept for review.
        #expect(try ledger.finishAttempt(attempt.id, with: .declined(AttemptDetails()), actor: "x").state == .approved)
        #expect(try ledger.auditEvents(paymentID: payment.id).last?.kind == "payment.anomaly")
    }

    @Test func partialApprovalAndAchPendingAreRecordedAsSuch() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let sale = try ledger.begin(fixture.sale(3_001, key: "p"), idempotencyKey: IdempotencyKey("p"), operator: "ada").payment
        let attempt = try ledger.startAttempt(paymentID: sale.id, reference: PaymentReference("PA1"), actor: "ada")
        let partial = try ledger.finishAttempt(
            attempt.id, with: .partiallyApproved(AttemptDetails(captured: fixture.usd(1_000))), actor: "ada")
        #expect(partial.state == .partiallyApproved)
        #expect(partial.payment.amountDue == fixture.usd(2_001))

        let ach = PaymentRequest(operation: .achDebit, amount: fixture.usd(50_000), invoiceID: "inv-9", channel: "stripe")
        let debit = try ledger.begin(ach, idempotencyKey: IdempotencyKey("ach"), operator: "ada").payment
        let achAttempt = try ledger.startAttempt(paymentID: debit.id, reference: PaymentReference("ACH1"), actor: "ada")
        #expect(try ledger.finishAttempt(achAttempt.id, with: .pending(AttemptDetails()), actor: "ada").state == .pending)
        #expect(try ledger.settle(paymentID: debit.id, actor: "stripe").state == .settled)
        #expect(try ledger.recordBankReturn(paymentID: debit.id, reason: "R01 insufficient funds", actor: "stripe").state == .returned)
    }

    @Test func aNeverSentPaymentCanBeAbandonedButASentOneCannot() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let idle = try ledger.begin(fixture.sale(100, key: "a"), idempotencyKey: IdempotencyKey("a"), operator: "ada").payment
        #expect(try ledger.abandon(paymentID: idle.id, reason: "customer left", actor: "ada").state == .abandoned)
        let sent = try ledger.begin(fixture.sale(100, key: "b"), idempotencyKey: IdempotencyKey("b"), operator: "ada").payment
        _ = try ledger.startAttempt(paymentID: sent.id, reference: PaymentReference("AB1"), actor: "ada")
        #expect(throws: LedgerError.transition(.illegal(from: .sent, event: "abandon", operation: .sale))) {
            try ledger.abandon(paymentID: sent.id, reason: "?", actor: "ada")
        }
    }

    @Test func cardNumbersInProcessorTextAreRedactedNotStored() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let payment = try ledger.begin(fixture.sale(100, key: "pan"), idempotencyKey: IdempotencyKey("pan"), operator: "ada").payment
        let attempt = try ledger.startAttempt(paymentID: payment.id, reference: PaymentReference("PAN1"), actor: "ada")
        let leaky = AttemptDetails(resultCode: "100001", message: "DECLINED card 4111 1111 1111 1111")
        let declined = try ledger.finishAttempt(attempt.id, with: .declined(leaky), actor: "ada")
        #expect(declined.state == .declined)
        #expect(declined.message == "[redacted: looked like a card number]")
        let bytes =
            try Data(contentsOf: URL(fileURLWithPath: fixture.path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: fixture.path + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data("4111 1111 1111 1111".utf8)) == nil)
        #expect(bytes.range(of: Data("4111111111111111".utf8)) == nil)
    }
}

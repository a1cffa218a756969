import Foundation
import Ledger
import PosPlusCore
import Testing

/// A charge on a Jobber invoice, begun with Jobber's balance, is checked against what the
/// ledger already holds for the invoice inside the same transaction.
@Suite("Ledger: charges on one invoice")
struct InvoiceStandingTests {
    @Test func aSecondChargeWaitsForTheFirstAndFitsWhatIsLeft() throws {
        let fixture = try LedgerFixture()
        let owed = fixture.usd(10_000)
        let first = try fixture.ledger.begin(
            fixture.sale(6_000, key: "a"), idempotencyKey: IdempotencyKey("a"), operator: "ada", owedOnInvoice: owed
        )
        .payment
        #expect(throws: LedgerError.invoiceHasPaymentInFlight(invoice: "1042", paymentID: first.id)) {
            try fixture.ledger.begin(
                fixture.sale(4_000, key: "b"), idempotencyKey: IdempotencyKey("b"), operator: "bob", owedOnInvoice: owed)
        }
        let attempt = try fixture.ledger.startAttempt(paymentID: first.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        try fixture.ledger.finishAttempt(attempt.id, with: .approved(AttemptDetails(captured: fixture.usd(6_000))), actor: "ada")

        #expect(try fixture.ledger.standing(invoiceID: "inv-1042").collected == fixture.usd(6_000))
        #expect(
            throws: LedgerError.alreadyPaid(
                EarlierPayment(
                    target: "invoice #1042", paymentID: first.id, state: .approved, amount: fixture.usd(6_000), idempotencyKey: "a"))
        ) {
            try fixture.ledger.begin(
                fixture.sale(4_000, key: "c"), idempotencyKey: IdempotencyKey("c"), operator: "bob", owedOnInvoice: owed)
        }
        #expect(
            throws: LedgerError.invoiceOwedExceeded(
                invoice: "1042", requested: fixture.usd(4_001), collected: fixture.usd(6_000), room: fixture.usd(4_000))
        ) {
            try fixture.ledger.begin(
                fixture.sale(4_001, key: "c"), idempotencyKey: IdempotencyKey("c"), operator: "bob", owedOnInvoice: owed, splitTender: true)
        }
        _ = try fixture.ledger.begin(
            fixture.sale(4_000, key: "d"), idempotencyKey: IdempotencyKey("d"), operator: "bob", owedOnInvoice: owed, splitTender: true)
        // The same key again is the same payment, not a new charge to check.
        _ = try fixture.ledger.begin(
            fixture.sale(6_000, key: "a"), idempotencyKey: IdempotencyKey("a"), operator: "ada", owedOnInvoice: owed)
    }

    @Test func twoFrontDesksChargingTheSameInvoiceAtOnceGetOneIntent() async throws {
        let fixture = try LedgerFixture()
        let ledgers = [fixture.ledger, try fixture.reopen()]
        let begun = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<10 {
                group.addTask {
                    (try? ledgers[index % 2].begin(
                        fixture.sale(10_000, key: "desk-\(index)"), idempotencyKey: IdempotencyKey("desk-\(index)"),
                        operator: "desk\(index)",
                        owedOnInvoice: fixture.usd(10_000))) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(begun == 1)
    }

    /// A deposit on quote "q78", whose Jobber deposit still to collect is $300.00.
    func deposit(_ minor: Int64, key: String, in fixture: LedgerFixture, splitTender: Bool = false) throws -> PaymentRecord {
        let request = PaymentRequest(
            operation: .deposit, amount: fixture.usd(minor), intent: .deposit, quoteID: "q78", channel: "front-desk")
        let outcome = try fixture.ledger.begin(
            request, idempotencyKey: try IdempotencyKey(key), operator: "ada", owedOnInvoice: fixture.usd(30_000), splitTender: splitTender)
        return outcome.payment
    }

    @Test func depositsOnAQuoteAreCheckedTheSameWay() throws {
        let fixture = try LedgerFixture()
        let first = try deposit(10_000, key: "d1", in: fixture)
        #expect(throws: LedgerError.quoteHasPaymentInFlight(quote: "q78", paymentID: first.id)) {
            try deposit(1, key: "d2", in: fixture)
        }
        let attempt = try fixture.ledger.startAttempt(paymentID: first.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        try fixture.ledger.finishAttempt(attempt.id, with: .approved(AttemptDetails(captured: fixture.usd(10_000))), actor: "ada")
        #expect(
            throws: LedgerError.depositOwedExceeded(
                quote: "q78", requested: fixture.usd(20_001), collected: fixture.usd(10_000), room: fixture.usd(20_000))
        ) {
            try deposit(20_001, key: "d3", in: fixture, splitTender: true)
        }
        #expect(throws: LedgerError.self, "a further deposit must be declared") { try deposit(100, key: "d4", in: fixture) }
        #expect(try fixture.ledger.standing(quoteID: "q78").collected == fixture.usd(10_000))
    }

    @Test func aPaymentReportedByTheProcessorIsRecordedWhateverTheStanding() throws {
        let fixture = try LedgerFixture()
        _ = try fixture.approvedSale(10_000, key: "counter")
        // A paid link arrives for the same invoice: the money moved, so it is recorded (no owed
        // amount is given), and reconciliation sees both.
        _ = try fixture.ledger.begin(fixture.sale(10_000, key: "link"), idempotencyKey: IdempotencyKey("link"), operator: "stripe webhook")
        #expect(try fixture.ledger.standing(invoiceID: "inv-1042").unresolved.count == 1)
    }
}

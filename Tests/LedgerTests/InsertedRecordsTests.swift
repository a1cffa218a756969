import Foundation
import Ledger
import PosPlusCore
import Testing

/// Every write that creates a row hands back the row as stored, id included: callers never
/// hold a record without an id, and never need to fetch one again to learn it.
@Suite("Ledger: records come back from an insert as stored")
struct InsertedRecordsTests {
    @Test func eachNewRowIsReturnedAsItIsFetchedLater() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        fixture.clock.advance(by: 0.123_456)  // past a millisecond: the stored text keeps only milliseconds

        let payment = try ledger.begin(fixture.sale(1_000, key: "k1"), idempotencyKey: IdempotencyKey("k1"), operator: "ada").payment
        #expect(try ledger.payment(id: payment.id)?.id == payment.id)
        #expect(try ledger.payment(id: payment.id)?.requested == payment.requested)

        let attempt = try ledger.startAttempt(paymentID: payment.id, reference: fixture.referenceGenerator.next(), actor: "ada")
        #expect(try ledger.attempts(paymentID: payment.id) == [attempt])

        let job = try ledger.enqueue(NewOutboxJob(kind: "receipt.email", dedupeKey: "r1", payload: "{}"), paymentID: payment.id)
        #expect(try ledger.jobs() == [job])

        let card = try ledger.saveCard(
            NewCardOnFile(
                clientID: "c1", processor: "stripe", token: "tok_1", card: try MaskedCard(brand: "visa", last4: "4242"), expiryMonth: 1,
                expiryYear: 2031),
            actor: "ada")
        #expect(try ledger.card(id: card.id) == card)

        let link = try ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_1", url: "https://pay.example/1", invoiceID: "inv-1",
                amount: fixture.usd(1_000), reference: PaymentReference("L000000000000001")),
            actor: "ada")
        #expect(try ledger.link(id: link.id) == link)
    }
}

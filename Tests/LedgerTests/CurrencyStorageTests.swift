import Foundation
import GRDB
import PosPlusCore
import Testing

@testable import Ledger

/// Records hold a ``Currency``; the columns keep holding the bare ISO code, and a code the
/// ledger does not know is an error, never a default.
@Suite("Ledger: currencies in rows")
struct CurrencyStorageTests {
    @Test func aPaymentAndALinkStoreTheBareCode() throws {
        let fixture = try LedgerFixture()
        let loonies = Money(minorUnits: 2_500, currency: .cad)
        var request = fixture.sale(2_500, key: "k1")
        request.amount = loonies
        let payment = try fixture.ledger.begin(request, idempotencyKey: IdempotencyKey("k1"), operator: "ada").payment
        let link = try fixture.ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_1", url: "https://pay.example/1", invoiceID: "inv-1", amount: loonies,
                reference: PaymentReference("L000000000000001")),
            actor: "ada")

        let stored = try fixture.ledger.read { db in
            try (
                String.fetchOne(db, sql: "SELECT currency FROM payment WHERE id = ?", arguments: [payment.id]),
                String.fetchOne(db, sql: "SELECT currency FROM paymentLink WHERE id = ?", arguments: [link.id])
            )
        }
        #expect(stored.0 == "CAD" && stored.1 == "CAD")
        #expect(try fixture.ledger.payment(id: payment.id)?.requested == loonies)
        #expect(try fixture.ledger.link(id: link.id)?.amount == loonies)
    }

    @Test func aPaymentRowWithAnUnknownCodeFailsToLoadNamingIt() throws {
        let fixture = try LedgerFixture()
        let payment = try fixture.ledger.begin(fixture.sale(1_000, key: "k1"), idempotencyKey: IdempotencyKey("k1"), operator: "ada")
            .payment
        try DatabaseQueue(path: fixture.path).write { db in
            try db.execute(sql: "UPDATE payment SET currency = 'USS' WHERE id = ?", arguments: [payment.id])
        }
        #expect {
            _ = try fixture.ledger.payment(id: payment.id)
        } throws: { error in
            "\(error)".contains("could not decode Currency from database value \"USS\"") && "\(error)".contains("\"currency\"")
        }
    }

    @Test func aReconcileItemKeepsItsCurrencyOrNone() throws {
        let fixture = try LedgerFixture()
        let found = [
            FoundDifference(
                key: "a", kind: "amount-mismatch", reference: nil, invoiceID: nil, explanation: "", occurredAt: nil, detail: "{}",
                differenceMinor: 100, currency: .eur, action: nil),
            FoundDifference(
                key: "b", kind: "missing", reference: nil, invoiceID: nil, explanation: "", occurredAt: nil, detail: "{}",
                differenceMinor: nil, currency: nil, action: nil),
        ]
        try fixture.ledger.recordReconcileRun(found, since: .distantPast, until: .distantFuture, actor: "ada")
        let codes = try fixture.ledger.read { db in try String?.fetchAll(db, sql: "SELECT currency FROM reconcileItem ORDER BY key") }
        #expect(codes == ["EUR", nil])
        #expect(try fixture.ledger.reconcileItems().map(\.currency) == [.eur, nil])
    }
}

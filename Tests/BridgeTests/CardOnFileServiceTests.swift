import Bridge
import Foundation
import JobberSimulator
import Ledger
import PosPlusCore
import Testing

/// Saving a card at the counter and charging it later, through the payment path and the PAX
/// simulator over TCP: the ledger keeps the token, brand, last four and expiry — never the
/// number — and a saved card pays only its own client's invoices.
@Suite("Payment service: cards on file", .timeLimit(.minutes(1)))
struct CardOnFileServiceTests {
    typealias Harness = PaymentServiceTests.Harness

    @Test func aCardSavedAtTheCounterPaysALaterInvoice() async throws {
        let h = try await Harness.start()
        let ada = Seed.IDs.ada.value
        let (saving, card) = try await h.service.saveCard(
            clientID: ada, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("save-ada"))
        #expect(saving.operation == .tokenize && saving.state == .approved && saving.capturedMinor == 0)
        let saved = try #require(card)
        #expect(saved.last4 == "1111" && saved.expiryMonth == 12 && saved.expiryYear == 2030 && saved.processor == "front-desk")
        #expect(!saved.token.isEmpty)
        #expect(try h.ledger.cards(clientID: ada).count == 1)
        let again = try await h.service.saveCard(
            clientID: ada, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("save-ada"))
        #expect(again.payment.id == saving.id && h.terminal.terminal.log.count == 1)

        let paid = try await h.charge(.init(target: .invoiceNumber("1044"), operation: .tokenSale, savedCardID: saved.id), key: "on-file")
        #expect(paid.operation == .tokenSale && paid.state == .approved && paid.capturedMinor == 8_999)
        #expect(try h.writeBacks().count == 1)
        await h.stop()
    }

    @Test func aSavedCardPaysOnlyItsOwnClientsInvoices() async throws {
        let h = try await Harness.start()
        let (_, card) = try await h.service.saveCard(
            clientID: Seed.IDs.ada.value, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("save"))
        let adaCard = try #require(card?.id)
        await #expect(throws: LedgerError.self) {  // invoice 1060 is the bakery's
            try await h.charge(.init(target: .invoiceNumber("1060"), operation: .tokenSale, savedCardID: adaCard), key: "wrong-client")
        }
        await #expect(throws: LedgerError.self) {
            try await h.charge(.init(target: .invoiceNumber("1044"), operation: .tokenSale), key: "no-card")
        }
        #expect(h.terminal.terminal.log.count == 1, "refused before the terminal")
        #expect(try h.ledger.payments().count == 1)
        await h.stop()
    }
}

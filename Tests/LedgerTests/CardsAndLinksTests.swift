import Foundation
import Ledger
import PosPlusCore
import Testing

@Suite("Ledger: cards on file and payment links")
struct CardsAndLinksTests {
    func visa(token: String = "tok_1NzAbC2eZvKYlo2C") throws -> NewCardOnFile {
        NewCardOnFile(
            clientID: "c1", processor: "stripe", token: token, card: try MaskedCard(brand: "visa", last4: "4242"), expiryMonth: 12,
            expiryYear: 2030)
    }

    @Test func savedCardsListPerClientAndCanBeRemoved() throws {
        let fixture = try LedgerFixture()
        let saved = try fixture.ledger.saveCard(try visa(), actor: "ada")
        #expect(try fixture.ledger.saveCard(try visa(), actor: "ada").id == saved.id)  // same token: same card
        #expect(try fixture.ledger.cards(clientID: "c1").map(\.last4) == ["4242"])
        #expect(try fixture.ledger.cards(clientID: "c2").isEmpty)
        try fixture.ledger.removeCard(id: saved.id, actor: "ada")
        #expect(try fixture.ledger.cards(clientID: "c1").isEmpty)
        #expect(try fixture.ledger.card(id: saved.id)?.removedAt != nil)
    }

    @Test func aCardNumberPosingAsATokenIsRefused() throws {
        let fixture = try LedgerFixture()
        #expect(throws: LedgerError.cardDataRefused(field: "the card token")) {
            try fixture.ledger.saveCard(try visa(token: "4000056655665556"), actor: "ada")
        }
        var badExpiry = try visa()
        badExpiry.expiryMonth = 13
        #expect(throws: LedgerError.self) { try fixture.ledger.saveCard(badExpiry, actor: "ada") }
    }

    @Test func expiryCountsTheWholeMonth() throws {
        let fixture = try LedgerFixture()
        let card = try fixture.ledger.saveCard(try visa(), actor: "ada")
        let formatter = ISO8601DateFormatter()
        #expect(!card.isExpired(at: formatter.date(from: "2030-12-31T23:59:00Z")!))
        #expect(card.isExpired(at: formatter.date(from: "2031-01-01T00:00:00Z")!))
    }

    @Test func aLinkIsOpenUntilPaidAndThenStaysPaid() throws {
        let fixture = try LedgerFixture()
        let link = try fixture.ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_123", url: "https://pay.example/abc", invoiceID: "inv-1042",
                invoiceNumber: "1042", amount: fixture.usd(45_000), reference: PaymentReference("LINK1")),
            actor: "tech-7")
        #expect(try fixture.ledger.links(openOnly: true).map(\.id) == [link.id])
        #expect(try fixture.ledger.link(processor: "stripe", processorLinkID: "plink_123")?.id == link.id)

        #expect(throws: LedgerError.invalidRequest("A paid link must name its payment.")) {
            try fixture.ledger.closeLink(id: link.id, as: .paid, actor: "stripe")
        }
        let payment = try fixture.approvedSale(45_000, key: "link-pay")
        let paid = try fixture.ledger.closeLink(id: link.id, as: .paid, paymentID: payment.id, actor: "stripe")
        #expect(paid.state == .paid)
        #expect(try fixture.ledger.closeLink(id: link.id, as: .paid, paymentID: payment.id, actor: "stripe") == paid)  // webhook replay
        #expect(throws: LedgerError.self) { try fixture.ledger.closeLink(id: link.id, as: .cancelled, actor: "ada") }
        #expect(try fixture.ledger.links(openOnly: true).isEmpty)
    }

    @Test func aLinkNeedsAnInvoiceOrQuoteAndAnAmount() throws {
        let fixture = try LedgerFixture()
        let nowhere = NewPaymentLink(
            processor: "stripe", processorLinkID: "p", url: "u", amount: fixture.usd(1), reference: try PaymentReference("L1"))
        #expect(throws: LedgerError.self) { try fixture.ledger.recordLink(nowhere, actor: "ada") }
        let free = NewPaymentLink(
            processor: "stripe", processorLinkID: "p", url: "u", quoteID: "q1", amount: fixture.usd(0),
            reference: try PaymentReference("L1"))
        #expect(throws: LedgerError.self) { try fixture.ledger.recordLink(free, actor: "ada") }
    }
}

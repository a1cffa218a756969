import Foundation
import PosPlusCore
import Testing

/// The receipt's renderers: exact money, every value escaped in HTML, the chip's fields kept
/// only in their own shapes.
@Suite("Receipt text and HTML")
struct ReceiptRenderingTests {
    static func usd(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .usd) }

    static let receipt = Receipt(
        kind: .payment, paymentID: 7, date: Date(timeIntervalSince1970: 1_796_137_200),
        business: BusinessDetails(name: "Maple & Pine", address: ["12 Birch Road"], phone: "+1 555 555 0100"),
        invoice: InvoiceItemization(
            invoiceID: "i", number: "1099", subject: "<b>Boiler</b>",
            lineItems: [
                InvoiceLine(
                    name: "Valve \"X\" <script>alert(1)</script>", quantity: "3", unitPrice: usd(33_333), total: usd(99_999), taxable: true),
                InvoiceLine(name: "Labour", description: "Half hour", quantity: "0.5", unitPrice: nil, total: usd(1), taxable: false),
            ],
            subtotal: usd(100_000), tax: usd(13_000), discount: usd(1), total: usd(112_999), balance: usd(0),
            client: CustomerContacts(name: "O'Hara & Sons", emails: ["office@ohara.example"])),
        amount: usd(112_999), method: "Sale", card: try! MaskedCard(brand: "VISA", last4: "1111"), authCode: "A00001",
        cardReading: CardReading(entryMode: "contactless", applicationLabel: "VISA CREDIT", applicationID: "a0000000031010"),
        reference: "SIMH00000001")

    @Test func theTextReceiptLinesUpExactAmounts() {
        let text = ReceiptText.render(Self.receipt, timeZone: TimeZone(identifier: "America/Toronto")!)
        #expect(text.contains(ReceiptText.row("  3 × $333.33", "$999.99")))
        #expect(text.contains(ReceiptText.row("  × 0.5", "$0.01")))
        #expect(text.contains(ReceiptText.row("Discount", "-$0.01")))
        #expect(text.contains(ReceiptText.row("Tax", "$130.00")))
        #expect(text.contains(ReceiptText.row("Paid", "$1,129.99")))
        #expect(text.contains(ReceiptText.row("Entry", "Contactless")))
        #expect(text.contains(ReceiptText.row("AID", "A0000000031010")))
        #expect(!text.contains("TVR"))  // not reported: left out, not printed empty
        #expect(text.contains("2026-12-01 10:00 EST"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= ReceiptText.width || $0.hasPrefix("Valve") })
    }

    @Test func theHTMLEscapesEveryValue() {
        let html = ReceiptHTML.render(Self.receipt, timeZone: TimeZone(identifier: "UTC")!)
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Valve &quot;X&quot;") && html.contains("O&#39;Hara &amp; Sons") && html.contains("&lt;b&gt;Boiler"))
        #expect(html.contains("<td>$1,129.99</td>"))
        #expect(html.contains("@media print"))
    }

    @Test func theSMSIsOneShortSummary() {
        #expect(
            ReceiptText.sms(Self.receipt)
                == "Maple & Pine: payment receipt for invoice #1099. Paid $1,129.99 on VISA •••• 1111, auth A00001. Payment #7. Balance due $0.00. Thank you."
        )
    }

    @Test func aTerminalsChipFieldsAreKeptOnlyInTheirShapes() {
        let odd = CardReading(
            entryMode: "chip; DROP", applicationLabel: "4111 1111 1111 1111", applicationID: "A0000000031010FFFFFFFFFFFFFFFFFFFFFF",
            terminalVerificationResults: "00000080", transactionStatusInformation: "e8000")
        #expect(odd.isEmpty)
        let fine = CardReading(
            entryMode: "chip", applicationLabel: " MASTERCARD ", terminalVerificationResults: "00000080ff",
            transactionStatusInformation: "e800")
        #expect(
            fine.applicationLabel == "MASTERCARD" && fine.terminalVerificationResults == "00000080FF"
                && fine.transactionStatusInformation == "E800")
    }

    @Test func theCustomersPrimaryEmailComesFirstThenATextableNumber() {
        #expect(CustomerContacts(name: "a", emails: ["a@b.example"], textablePhones: ["+15555550101"]).preferred == .email("a@b.example"))
        #expect(CustomerContacts(name: "a", textablePhones: ["+15555550101"]).preferred == .sms("+15555550101"))
        #expect(CustomerContacts(name: "a").preferred == nil)
    }
}

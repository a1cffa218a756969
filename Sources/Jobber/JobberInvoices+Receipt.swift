import HTTPClient
import PosPlusCore

extension JobberInvoices {
    /// The invoice's lines, taxes and totals and its client's name, emails and texting numbers,
    /// for a receipt (jobber-api.md: `Invoice.lineItems`, `InvoiceAmounts`, `Client.emails`,
    /// `Client.phones`). One page of 50 lines: an invoice with more prints the first 50 and its
    /// totals, which are Jobber's own and always complete.
    public func itemization(invoiceID: String) async throws(JobberError) -> InvoiceItemization {
        let data = try await client.execute(
            """
            query ReceiptInvoice($id: EncodedId!) { invoice(id: $id) { id invoiceNumber subject \
            amounts { subtotal taxAmount discountAmount total invoiceBalance } \
            client { id name emails { address primary } phones { number primary smsAllowed } } \
            lineItems(first: 50) { nodes { name description quantity unitPrice totalPrice taxable } } } }
            """, variables: ["id": .string(invoiceID)])
        guard let invoice = data["invoice"], !invoice.isNull else { throw .notFound("invoice with id \(invoiceID)") }
        let amounts = invoice["amounts"]
        func money(_ field: String) throws(JobberError) -> Money {
            try JobberMoney.read(amounts?[field], field: "invoice.amounts.\(field)", currency: currency)
        }
        var lines: [InvoiceLine] = []
        for node in invoice["lineItems"]?["nodes"]?.array ?? [] {
            lines.append(try line(node))
        }
        return InvoiceItemization(
            invoiceID: try text(invoice["id"], "invoice.id"), number: try text(invoice["invoiceNumber"], "invoice.invoiceNumber"),
            subject: invoice["subject"]?.string.flatMap { $0.isEmpty ? nil : $0 }, lineItems: lines, subtotal: try money("subtotal"),
            tax: try money("taxAmount"), discount: try money("discountAmount"), total: try money("total"),
            balance: try money("invoiceBalance"), client: contacts(invoice["client"]))
    }

    private func line(_ node: JSONValue) throws(JobberError) -> InvoiceLine {
        let quantity = node["quantity"]?.numberText ?? ""
        guard !quantity.isEmpty, quantity.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else {
            throw .malformedResponse("invoice.lineItems.quantity must be a number")
        }
        return InvoiceLine(
            name: node["name"]?.string ?? "", description: node["description"]?.string.flatMap { $0.isEmpty ? nil : $0 },
            quantity: Self.plainQuantity(quantity),
            // A unit price finer than a cent cannot be printed exactly: the line's total is.
            unitPrice: try? JobberMoney.read(node["unitPrice"], field: "invoice.lineItems.unitPrice", currency: currency),
            total: try JobberMoney.read(node["totalPrice"], field: "invoice.lineItems.totalPrice", currency: currency),
            taxable: node["taxable"]?.bool ?? false)
    }

    /// "2.0" → "2", "1.50" → "1.5": Jobber's Float quantities as people write them.
    static func plainQuantity(_ text: String) -> String {
        guard text.contains("."), !text.contains("e"), !text.contains("E") else { return text }
        var trimmed = text
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed
    }

    private func contacts(_ client: JSONValue?) -> CustomerContacts {
        let emails = (client?["emails"]?.array ?? []).sorted { ($0["primary"]?.bool ?? false) && !($1["primary"]?.bool ?? false) }
        let phones = (client?["phones"]?.array ?? []).filter { $0["smsAllowed"]?.bool ?? false }
            .sorted { ($0["primary"]?.bool ?? false) && !($1["primary"]?.bool ?? false) }
        return CustomerContacts(
            name: client?["name"]?.string ?? "", emails: emails.compactMap { $0["address"]?.string },
            textablePhones: phones.compactMap { $0["number"]?.string })
    }
}

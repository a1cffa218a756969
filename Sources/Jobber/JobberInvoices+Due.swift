import Foundation
import HTTPClient
import PosPlusCore

extension JobberInvoices {
    /// An invoice as reminders see it: what is owed and the day it is due, `2026-12-20`
    /// (jobber-api.md: `Invoice.dueDate`, an ISO 8601 date-time whose date is the business's
    /// day; nil when the invoice has none, "due on receipt").
    public func dueView(invoiceID: String) async throws(JobberError) -> (invoice: InvoiceSnapshot, dueDay: String?) {
        let data = try await client.execute(
            "query InvoiceDue($id: EncodedId!) { invoice(id: $id) { \(Self.invoiceFields) dueDate } }",
            variables: ["id": .string(invoiceID)])
        guard let node = data["invoice"], !node.isNull else { throw .notFound("invoice with id \(invoiceID)") }
        let invoice = try snapshot(node, path: "invoice")
        guard let text = node["dueDate"]?.string, !text.isEmpty else { return (invoice, nil) }
        guard Self.isoDate(text) != nil else {
            throw .malformedResponse("invoice.dueDate \"\(text.prefix(40))\" is not an ISO 8601 date")
        }
        return (invoice, String(text.prefix(10)))
    }

    /// `2026-12-20T00:00:00Z`, with or without fractional seconds, or a bare `2026-12-20`.
    static func isoDate(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withFullDate]
        return full.date(from: text)
    }
}

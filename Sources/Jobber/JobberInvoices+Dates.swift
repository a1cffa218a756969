import Foundation
import HTTPClient
import PosPlusCore

/// One of a client's invoices with the dates that say how it was paid: issued, due, and the
/// entry dates of the payments Jobber recorded on it.
public struct JobberInvoiceDates: Equatable, Sendable {
    /// Jobber's id of the invoice (empty if Jobber left it out).
    public var id: String = ""
    public var status: InvoiceStatus
    public var issuedAt: Date?
    public var dueAt: Date?
    public var paymentDates: [Date]
}

extension JobberInvoices {
    /// A client's invoices (at most 50, every status) with their dates (jobber-api.md:
    /// `Invoice.issuedDate`, `dueDate`, `paymentRecords.entryDate`). A date Jobber leaves out
    /// or writes in a form not understood is nil, not an error: it counts as unknown.
    public func invoiceDates(clientID: String) async throws(JobberError) -> [JobberInvoiceDates] {
        let data = try await client.execute(
            """
            query ClientInvoiceDates($client: EncodedId!) { invoices(first: 50, filter: { clientId: $client }) { nodes { \
            id invoiceStatus issuedDate dueDate paymentRecords(first: 10) { nodes { entryDate } } } } }
            """,
            variables: ["client": .string(clientID)])
        return (data["invoices"]?["nodes"]?.array ?? []).map { node in
            JobberInvoiceDates(
                id: node["id"]?.string ?? "", status: InvoiceStatus(jobberValue: node["invoiceStatus"]?.string ?? ""),
                issuedAt: Self.date(node["issuedDate"]),
                dueAt: Self.date(node["dueDate"]),
                paymentDates: (node["paymentRecords"]?["nodes"]?.array ?? []).compactMap { Self.date($0["entryDate"]) })
        }
    }

    /// Jobber's ISO 8601 date-times, with or without fractional seconds.
    static func date(_ value: JSONValue?) -> Date? {
        guard let text = value?.string, text.count <= 40 else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

import Foundation
import HTTPClient
import PosPlusCore

/// An invoice with what the cash-flow forecast and DSO need: its dates, amounts, client and
/// the payments entered on it.
public struct JobberReceivable: Equatable, Sendable {
    public var invoice: InvoiceSnapshot
    /// `issuedDate`; nil for a draft.
    public var issuedDate: Date?
    /// `dueDate`; nil for a draft (or an invoice Jobber holds no due date for).
    public var dueDate: Date?
    /// `paymentRecords`: every page, oldest and newest alike.
    public var paymentRecords: [JobberPaymentRecord]
}

extension JobberInvoices {
    /// The open invoices (awaiting payment, past due, sent and not due: whatever their age) and
    /// every invoice issued after `issuedAfter`, each once, with its payment records.
    ///
    /// Paged as Jobber asks (jobber-api.md §5): `invoices(first:after:filter:sort:)` 50 at a
    /// time, one pass per open status (`filter.status` takes one value) and one over
    /// `filter.issuedDate.after`; each invoice brings its first few payment records, and only
    /// an invoice with more is asked again for the rest. A page costs about 1,500 points of
    /// the 10,000 bucket (``GraphQLQueryCost``), so throttling stays with the client.
    public func receivables(issuedAfter: Date) async throws(JobberError) -> [JobberReceivable] {
        var seen = Set<String>()
        var result: [JobberReceivable] = []
        let passes: [(filter: String, variables: [String: JSONValue])] =
            ["awaiting_payment", "past_due", "sent_not_due"].map { ("{ status: $status }", ["status": .string($0)]) }
            + [("{ issuedDate: { after: $since } }", ["since": .string(issuedAfter.formatted(Date.ISO8601FormatStyle()))])]
        for pass in passes {
            for node in try await allInvoiceNodes(filter: pass.filter, variables: pass.variables) {
                // An open invoice issued this year comes in two passes; read its records once.
                guard let id = node["id"]?.string, seen.insert(id).inserted else { continue }
                result.append(try await receivable(node))
            }
        }
        return result
    }

    /// Payment records asked for with each invoice; more are read page by page.
    static var receivablePaymentPage: Int { 5 }

    static var receivableFields: String {
        """
        \(invoiceFields) issuedDate dueDate \
        paymentRecords(first: \(receivablePaymentPage)) { nodes { id amount entryDate } pageInfo { hasNextPage endCursor } }
        """
    }

    private func allInvoiceNodes(filter: String, variables: [String: JSONValue]) async throws(JobberError) -> [JSONValue] {
        let declarations = variables.keys.sorted().map { "$\($0): \($0 == "status" ? "InvoiceStatusTypeEnum" : "ISO8601DateTime")" }
        let query = """
            query Receivables(\((declarations + ["$after: String"]).joined(separator: ", "))) { invoices(first: 50, after: $after, \
            filter: \(filter), sort: [{ key: ISSUED_DATE, direction: ASCENDING }]) { nodes { \(Self.receivableFields) } \
            pageInfo { hasNextPage endCursor } } }
            """
        var nodes: [JSONValue] = []
        var after: String? = nil
        var pages = 0
        repeat {
            var page = variables
            page["after"] = after.map(JSONValue.string) ?? .null
            let connection = try await client.execute(query, variables: page)["invoices"]
            nodes += connection?["nodes"]?.array ?? []
            after = JobberGraphQLClient<C>.nextCursor(connection)
            pages += 1
            // A cursor that never ends would page forever; 400 pages is 20,000 invoices.
            if pages >= 400, after != nil { throw .malformedResponse("invoices kept paging past 20,000; stopped") }
        } while after != nil
        return nodes
    }

    private func receivable(_ node: JSONValue) async throws(JobberError) -> JobberReceivable {
        let invoice = try snapshot(node, path: "invoices.nodes")
        var records = node["paymentRecords"]?["nodes"]?.array ?? []
        if let after = JobberGraphQLClient<C>.nextCursor(node["paymentRecords"]) {
            records += try await client.remainingNodes(
                of: "paymentRecords", on: "invoice", id: invoice.id, selecting: "id amount entryDate", after: after)
        }
        return JobberReceivable(
            invoice: invoice, issuedDate: try JobberDate.read(node["issuedDate"], field: "invoices.nodes.issuedDate"),
            dueDate: try JobberDate.read(node["dueDate"], field: "invoices.nodes.dueDate"),
            paymentRecords: try records.map { (record: JSONValue) throws(JobberError) in try paymentRecord(record, "paymentRecords") })
    }
}

/// Jobber's `ISO8601DateTime` values read into dates.
public enum JobberDate {
    /// A full timestamp (`2021-08-12T16:31:36-06:00`), or a bare date (`2021-08-12`, taken at
    /// noon UTC so it stays on its date in every American and European zone); null is nil;
    /// anything else is a malformed reply naming `field`.
    public static func read(_ value: JSONValue?, field: String) throws(JobberError) -> Date? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.string, let date = parse(text) else {
            throw .malformedResponse("\(field) must be an ISO 8601 date, not \(value.serialized)")
        }
        return date
    }

    public static func parse(_ text: String) -> Date? {
        if let full = try? Date(text, strategy: .iso8601) { return full }
        guard text.count == 10 else { return nil }
        return try? Date(text + "T12:00:00Z", strategy: .iso8601)
    }
}

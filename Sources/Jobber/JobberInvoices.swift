import HTTPClient
import PosPlusCore

/// A payment Jobber has recorded on an invoice.
public struct JobberPaymentRecord: Equatable, Sendable {
    public var id: String
    public var amount: Money
    public var entryDate: String
    /// Free text on the record: where posplus puts its `[posplus REF]` marker when it writes one.
    public var details: String? = nil

    /// The reference of posplus's marker in the details, when posplus wrote the record.
    public var markedReference: String? { details.flatMap { WriteBackNote.references(in: $0).first } }
}

/// An invoice as reconcile reads it from Jobber.
public struct JobberReconcileView: Equatable, Sendable {
    public var invoice: InvoiceSnapshot
    public var notes: [String]
    public var paymentRecords: [JobberPaymentRecord]

    /// The references of posplus's markers (`[posplus REF]`) in the notes.
    public var markedReferences: Set<String> { Set(notes.flatMap(WriteBackNote.references(in:))) }
}

/// The invoice, quote and payment queries posplus runs, in Jobber's schema names, always with
/// `first` (cost), and their replies read into snapshots with money parsed exactly.
public struct JobberInvoices<C: Clock<Duration>>: Sendable {
    let client: JobberGraphQLClient<C>
    /// The account's currency (Jobber's amounts carry none).
    public var currency: Currency

    public init(client: JobberGraphQLClient<C>, currency: Currency) {
        self.client = client
        self.currency = currency
    }

    static var invoiceFields: String { "id invoiceNumber invoiceStatus amounts { total invoiceBalance } client { id name }" }

    public func invoice(id: String) async throws(JobberError) -> InvoiceSnapshot {
        let data = try await client.execute(
            "query Invoice($id: EncodedId!) { invoice(id: $id) { \(Self.invoiceFields) } }", variables: ["id": .string(id)])
        guard let invoice = data["invoice"], !invoice.isNull else { throw .notFound("invoice with id \(id)") }
        return try snapshot(invoice, path: "invoice")
    }

    public func invoice(number: String) async throws(JobberError) -> InvoiceSnapshot {
        let data = try await client.execute(
            "query InvoiceByNumber($number: EncodedId!) { invoices(first: 2, filter: { invoiceNumber: $number }) { nodes { \(Self.invoiceFields) } } }",
            variables: ["number": .string(number)])
        let nodes = data["invoices"]?["nodes"]?.array ?? []
        guard let match = nodes.first(where: { $0["invoiceNumber"]?.string == number }) else {
            throw .notFound("invoice #\(number)")
        }
        return try snapshot(match, path: "invoices.nodes")
    }

    /// A client's invoices that can still be paid (at most 50, oldest due first).
    public func openInvoices(clientID: String) async throws(JobberError) -> [InvoiceSnapshot] {
        let data = try await client.execute(
            """
            query ClientInvoices($client: EncodedId!) { invoices(first: 50, filter: { clientId: $client }, \
            sort: [{ key: DUE_DATE, direction: ASCENDING }]) { nodes { \(Self.invoiceFields) } } }
            """,
            variables: ["client": .string(clientID)])
        var result: [InvoiceSnapshot] = []
        for node in data["invoices"]?["nodes"]?.array ?? [] {
            let invoice = try snapshot(node, path: "invoices.nodes")
            if invoice.status.isPayable { result.append(invoice) }
        }
        return result
    }

    /// Invoices whose number, subject or client's name contains `term` (Jobber's `searchTerm`),
    /// at most `first`, most recently issued first: how the front desk finds a customer's bill
    /// by the name they give at the counter. Every status is returned; the caller decides what
    /// may be charged (``InvoiceStatus/isPayable``).
    public func search(_ term: String, first: Int = 25) async throws(JobberError) -> [InvoiceSnapshot] {
        let data = try await client.execute(
            """
            query SearchInvoices($term: String!, $first: Int!) { invoices(first: $first, searchTerm: $term, \
            sort: [{ key: ISSUED_DATE, direction: DESCENDING }]) { nodes { \(Self.invoiceFields) } } }
            """,
            variables: ["term": .string(term), "first": .number(String(first))])
        var result: [InvoiceSnapshot] = []
        for node in data["invoices"]?["nodes"]?.array ?? [] { result.append(try snapshot(node, path: "invoices.nodes")) }
        return result
    }

    public func quote(id: String) async throws(JobberError) -> QuoteSnapshot {
        let data = try await client.execute(
            """
            query Quote($id: EncodedId!) { quote(id: $id) { id quoteNumber quoteStatus \
            amounts { total depositAmount outstandingDepositAmount } client { id name } } }
            """,
            variables: ["id": .string(id)])
        guard let quote = data["quote"], !quote.isNull else { throw .notFound("quote with id \(id)") }
        return QuoteSnapshot(
            id: try text(quote["id"], "quote.id"), number: try text(quote["quoteNumber"], "quote.quoteNumber"),
            status: QuoteStatus(jobberValue: try text(quote["quoteStatus"], "quote.quoteStatus")),
            total: try JobberMoney.read(quote["amounts"]?["total"], field: "quote.amounts.total", currency: currency),
            depositAmount: try JobberMoney.read(
                quote["amounts"]?["depositAmount"], field: "quote.amounts.depositAmount", currency: currency),
            outstandingDeposit: try JobberMoney.read(
                quote["amounts"]?["outstandingDepositAmount"], field: "quote.amounts.outstandingDepositAmount", currency: currency),
            clientID: try text(quote["client"]?["id"], "quote.client.id"), clientName: quote["client"]?["name"]?.string ?? "")
    }

    /// The payments Jobber has recorded on an invoice (at most 50).
    public func paymentRecords(invoiceID: String) async throws(JobberError) -> [JobberPaymentRecord] {
        let data = try await client.execute(
            "query Payments($id: EncodedId!) { invoice(id: $id) { paymentRecords(first: 50) { nodes { id amount entryDate } } } }",
            variables: ["id": .string(invoiceID)])
        return try (data["invoice"]?["paymentRecords"]?["nodes"]?.array ?? []).map { (node: JSONValue) throws(JobberError) in
            try paymentRecord(node, "paymentRecords")
        }
    }

    /// An invoice with what reconcile compares: its amounts, the text of its notes (where
    /// posplus's `[posplus REF]` markers are) and its payment records. One query of small pages
    /// (an invoice rarely has more than a few notes, and Jobber charges for every node a page
    /// could hold), and more pages only for an invoice that has more.
    public func reconcileView(invoiceID: String) async throws(JobberError) -> JobberReconcileView {
        let data = try await client.execute(
            """
            query Reconcile($id: EncodedId!) { invoice(id: $id) { \(Self.invoiceFields) \
            notes(first: \(Self.firstPage)) { nodes { ... on InvoiceNote { message } } pageInfo { hasNextPage endCursor } } \
            paymentRecords(first: \(Self.firstPage)) { nodes { id amount entryDate details } pageInfo { hasNextPage endCursor } } } }
            """, variables: ["id": .string(invoiceID)])
        guard let invoice = data["invoice"], !invoice.isNull else { throw .malformedResponse("no invoice with id \(invoiceID)") }
        var noteNodes = invoice["notes"]?["nodes"]?.array ?? []
        if let after = JobberGraphQLClient<C>.nextCursor(invoice["notes"]) {
            noteNodes += try await client.remainingNodes(
                of: "notes", on: "invoice", id: invoiceID, selecting: "... on InvoiceNote { message }", after: after)
        }
        var recordNodes = invoice["paymentRecords"]?["nodes"]?.array ?? []
        if let after = JobberGraphQLClient<C>.nextCursor(invoice["paymentRecords"]) {
            recordNodes += try await client.remainingNodes(
                of: "paymentRecords", on: "invoice", id: invoiceID, selecting: "id amount entryDate details", after: after)
        }
        return JobberReconcileView(
            invoice: try snapshot(invoice, path: "invoice"), notes: noteNodes.compactMap { $0["message"]?.string },
            paymentRecords: try recordNodes.map { (node: JSONValue) throws(JobberError) in try paymentRecord(node, "paymentRecords") })
    }

    /// The first page of an invoice's notes and records that reconcile asks for.
    static var firstPage: Int { 10 }

    /// One payment record node (`id amount entryDate`, and `details` where asked for).
    func paymentRecord(_ node: JSONValue, _ field: String) throws(JobberError) -> JobberPaymentRecord {
        JobberPaymentRecord(
            id: try text(node["id"], "\(field).id"),
            amount: try JobberMoney.read(node["amount"], field: "\(field).amount", currency: currency),
            entryDate: try text(node["entryDate"], "\(field).entryDate"), details: node["details"]?.string)
    }

    func snapshot(_ node: JSONValue, path: String) throws(JobberError) -> InvoiceSnapshot {
        InvoiceSnapshot(
            id: try text(node["id"], "\(path).id"), number: try text(node["invoiceNumber"], "\(path).invoiceNumber"),
            status: InvoiceStatus(jobberValue: try text(node["invoiceStatus"], "\(path).invoiceStatus")),
            total: try JobberMoney.read(node["amounts"]?["total"], field: "\(path).amounts.total", currency: currency),
            balance: try JobberMoney.read(node["amounts"]?["invoiceBalance"], field: "\(path).amounts.invoiceBalance", currency: currency),
            clientID: try text(node["client"]?["id"], "\(path).client.id"), clientName: node["client"]?["name"]?.string ?? "")
    }

    func text(_ value: JSONValue?, _ field: String) throws(JobberError) -> String {
        guard let string = value?.string, !string.isEmpty else { throw .malformedResponse("\(field) is missing") }
        return string
    }
}

import HTTPClient
import PosPlusCore

/// A quote as reconcile reads it: the deposit still to collect, posplus's markers in its notes
/// (a deposit taken at the counter leaves its note on the quote) and its deposit records.
public struct JobberQuoteReconcileView: Equatable, Sendable {
    public var id: String
    public var number: String
    public var outstandingDeposit: Money
    public var notes: [String]
    public var depositRecords: [JobberPaymentRecord]

    public var markedReferences: Set<String> { Set(notes.flatMap(WriteBackNote.references(in:))) }
}

extension JobberInvoices {
    /// One query: a quote has few notes and deposits, so one page of each is asked for.
    public func reconcileView(quoteID: String) async throws(JobberError) -> JobberQuoteReconcileView {
        let data = try await client.execute(
            """
            query ReconcileQuote($id: EncodedId!) { quote(id: $id) { id quoteNumber amounts { outstandingDepositAmount } \
            notes(first: 50) { nodes { ... on QuoteNote { message } } } \
            depositRecords(first: 20) { nodes { id amount entryDate details } } } }
            """, variables: ["id": .string(quoteID)])
        guard let quote = data["quote"], !quote.isNull else { throw .malformedResponse("no quote with id \(quoteID)") }
        let records = try (quote["depositRecords"]?["nodes"]?.array ?? []).map { (node: JSONValue) throws(JobberError) in
            try paymentRecord(node, "depositRecords")
        }
        return JobberQuoteReconcileView(
            id: try text(quote["id"], "quote.id"), number: try text(quote["quoteNumber"], "quote.quoteNumber"),
            outstandingDeposit: try JobberMoney.read(
                quote["amounts"]?["outstandingDepositAmount"], field: "quote.amounts.outstandingDepositAmount", currency: currency),
            notes: (quote["notes"]?["nodes"]?.array ?? []).compactMap { $0["message"]?.string }, depositRecords: records)
    }
}

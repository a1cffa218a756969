import HTTPClient
import PosPlusCore

/// What a write-back says about a payment on the Jobber invoice.
public struct WriteBackNote: Equatable, Sendable {
    /// What happened to the money. Only a payment is also recorded as a payment record (Jobber's
    /// `invoiceCreatePaymentRecord` takes PAYMENT or DEPOSIT); a refund or a void is a note.
    public enum Action: String, Equatable, Sendable {
        case payment
        case refund
        case void
        /// A payment plan approved on the invoice: no money moved yet; `method` lists the instalments.
        case plan

        var verb: String {
            switch self {
            case .payment: return "Paid"
            case .refund: return "Refunded"
            case .void: return "Voided"
            case .plan: return "Payment plan for"
            }
        }
    }

    /// What the note is pinned to: the invoice paid, or the quote a deposit was taken on.
    public enum Subject: Equatable, Sendable {
        case invoice(String)
        case quote(String)
    }

    public var action: Action
    public var subject: Subject
    public var reference: String
    public var amount: Money
    public var method: String
    public var card: String?
    public var authCode: String?
    public var operatorName: String
    public var time: String

    public init(
        invoiceID: String, reference: String, amount: Money, method: String, card: String?, authCode: String?, operatorName: String,
        time: String, action: Action = .payment
    ) {
        self.init(
            on: .invoice(invoiceID), reference: reference, amount: amount, method: method, card: card, authCode: authCode,
            operatorName: operatorName, time: time, action: action)
    }

    public init(
        on subject: Subject, reference: String, amount: Money, method: String, card: String?, authCode: String?, operatorName: String,
        time: String, action: Action = .payment
    ) {
        self.action = action
        self.subject = subject
        self.reference = reference
        self.amount = amount
        self.method = method
        self.card = card
        self.authCode = authCode
        self.operatorName = operatorName
        self.time = time
    }

    /// The invoice, when the note is for one.
    public var invoiceID: String? { if case .invoice(let id) = subject { id } else { nil } }

    /// The marker that makes the note findable again: one note per reference, ever.
    public var marker: String { "\(Self.markerOpening)\(reference)]" }
    private static let markerOpening = "[posplus "

    /// The references of every marker in `text` (a note's message): the notes posplus wrote.
    public static func references(in text: String) -> [String] {
        text.components(separatedBy: markerOpening).dropFirst().compactMap { rest in
            rest.firstIndex(of: "]").map { String(rest[..<$0]) }
        }
    }

    /// The pinned note's text: amount, method, brand and last four, auth code, operator, time.
    public var message: String {
        if action == .plan { return "\(action.verb) \(amount.formatted): \(method); approved by \(operatorName) at \(time) \(marker)" }
        var parts = ["\(action.verb) \(amount.formatted) by \(method)"]
        if let card { parts.append(card) }
        if let authCode { parts.append("auth \(authCode)") }
        parts.append("taken by \(operatorName) at \(time)")
        return parts.joined(separator: ", ") + " " + marker
    }
}

/// Leaves a trace of a payment in Jobber, exactly once.
///
/// Jobber's public API cannot record a payment (jobber-api.md §4), so posplus pins a note on
/// the invoice. Before creating one it looks for its own marker among the invoice's notes: a
/// retry after a crash between "note created" and "outbox row done" finds the note and stops.
/// Where the account's schema offers `invoiceCreatePaymentRecord` (found by introspection,
/// remembered per API version) the payment is recorded with it too.
public actor JobberWriteBack<C: Clock<Duration>> {
    private let client: JobberGraphQLClient<C>
    private var paymentRecordSupport: [String: Bool] = [:]

    public init(client: JobberGraphQLClient<C>) {
        self.client = client
    }

    public enum Outcome: Equatable, Sendable {
        /// A note was created now.
        case noteCreated(recordedPayment: Bool)
        /// The note was already there (an earlier attempt got that far).
        case alreadyWritten
    }

    public func write(_ note: WriteBackNote) async throws(JobberError) -> Outcome {
        if try await noteExists(note) { return .alreadyWritten }
        let invoiceID: String
        switch note.subject {
        case .quote(let quoteID):
            // A deposit on a quote: a note only (no public mutation records a quote's deposit).
            let data = try await client.execute(
                """
                mutation WriteBackQuote($quote: EncodedId!, $message: String!) { quoteCreateNote(quoteId: $quote, \
                input: { message: $message }) { quoteNote { id } userErrors { message path } } }
                """,
                variables: ["quote": .string(quoteID), "message": .string(note.message)])
            try Self.requireNoUserErrors(data["quoteCreateNote"])
            return .noteCreated(recordedPayment: false)
        case .invoice(let id):
            invoiceID = id
        }
        let data = try await client.execute(
            """
            mutation WriteBack($invoice: EncodedId!, $message: String!) { invoiceCreateNote(invoiceId: $invoice, \
            input: { message: $message, pinned: true }) { invoiceNote { id } userErrors { message path } } }
            """,
            variables: ["invoice": .string(invoiceID), "message": .string(note.message)])
        try Self.requireNoUserErrors(data["invoiceCreateNote"])
        var recorded = false
        if note.action == .payment, try await supportsPaymentRecords() {
            let result = try await client.execute(
                """
                mutation RecordPayment($input: InvoiceCreatePaymentRecordInput!) { invoiceCreatePaymentRecord(input: $input) \
                { paymentRecord { id } userErrors { message path } } }
                """,
                variables: [
                    "input": .object([
                        "invoiceId": .string(invoiceID), "adjustmentType": .string("PAYMENT"),
                        "amount": .number(note.amount.decimalText), "paymentDetails": .object(["details": .string(note.marker)]),
                    ])
                ])
            try Self.requireNoUserErrors(result["invoiceCreatePaymentRecord"])
            recorded = true
        }
        return .noteCreated(recordedPayment: recorded)
    }

    /// Looks for the note's marker page by page (newest notes come first, so a retry usually
    /// finds its note on the first page), never stopping at a page limit: an invoice with many
    /// notes must not get the same note twice.
    private func noteExists(_ note: WriteBackNote) async throws(JobberError) -> Bool {
        let (root, id, fragment) =
            switch note.subject {
            case .invoice(let id): ("invoice", id, "InvoiceNote")
            case .quote(let id): ("quote", id, "QuoteNote")
            }
        let marker = note.marker
        let ours: @Sendable (JSONValue) -> Bool = { $0["message"]?.string?.contains(marker) == true }
        let notes = try await client.remainingNodes(
            of: "notes", on: root, id: id, selecting: "... on \(fragment) { id message }", after: nil, pageSize: 50,
            enough: { $0.contains(where: ours) })
        return notes.contains(where: ours)
    }

    /// Whether the schema has `invoiceCreatePaymentRecord`, asked once per API version.
    private func supportsPaymentRecords() async throws(JobberError) -> Bool {
        let version = client.apiVersion
        if let known = paymentRecordSupport[version] { return known }
        let data = try await client.execute("query Mutations { __type(name: \"Mutation\") { fields { name } } }")
        let supported = (data["__type"]?["fields"]?.array ?? []).contains { $0["name"]?.string == "invoiceCreatePaymentRecord" }
        paymentRecordSupport[version] = supported
        return supported
    }

    private static func requireNoUserErrors(_ payload: JSONValue?) throws(JobberError) {
        let errors = payload?["userErrors"]?.array ?? []
        guard errors.isEmpty else { throw .graphQL(errors.map { $0["message"]?.string ?? "user error" }) }
    }
}

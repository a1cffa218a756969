import Foundation
import GraphQL
import Graphiti

/// Input types, with Jobber's names and fields (jobber-api.md §3–§5).
struct Iso8601DateTimeRangeInput: Codable, Sendable {
    var before: ISO8601DateTime?
    var after: ISO8601DateTime?
    var eq: ISO8601DateTime?

    func contains(_ value: ISO8601DateTime?) -> Bool {
        guard let date = value?.date else { return false }
        if let before = before?.date, !(date < before) { return false }
        if let after = after?.date, !(date > after) { return false }
        if let eq = eq?.date, date != eq { return false }
        return true
    }
}

struct InvoiceFilterAttributes: Codable, Sendable {
    var clientId: EncodedId?
    var invoiceNumber: EncodedId?
    var status: InvoiceStatusTypeEnum?
    var issuedDate: Iso8601DateTimeRangeInput?
    var dueDate: Iso8601DateTimeRangeInput?
    var updatedAt: Iso8601DateTimeRangeInput?
    var createdAt: Iso8601DateTimeRangeInput?

    func admits(_ invoice: InvoiceRecord) -> Bool {
        if let clientId, invoice.clientID != clientId { return false }
        if let invoiceNumber, invoice.invoiceNumber != invoiceNumber.value { return false }
        if let status, invoice.status != status { return false }
        if let issuedDate, !issuedDate.contains(invoice.issuedDate) { return false }
        if let dueDate, !dueDate.contains(invoice.dueDate) { return false }
        if let updatedAt, !updatedAt.contains(invoice.updatedAt) { return false }
        if let createdAt, !createdAt.contains(invoice.createdAt) { return false }
        return true
    }
}

struct InvoiceSortInput: Codable, Sendable {
    var key: InvoiceSortKey
    var direction: SortDirectionEnum
}

struct InvoiceCreateNoteInput: Codable, Sendable {
    var message: String?
    var pinned: Bool?
}

struct PaymentRecordDetails: Codable, Sendable {
    var details: String?
}

struct InvoiceCreatePaymentRecordInput: Codable, Sendable {
    var invoiceId: EncodedId
    var adjustmentType: PaymentRecordAdjustmentType
    var amount: Double
    var entryDate: ISO8601DateTime?
    var paymentDetails: PaymentRecordDetails?
}

struct IDArguments: Codable, Sendable {
    var id: EncodedId
}

struct InvoicesArguments: Codable, Sendable {
    var filter: InvoiceFilterAttributes?
    var searchTerm: String?
    var sort: [InvoiceSortInput]?
    var first: Int?
    var after: String?
    var last: Int?
    var before: String?

    var page: PageArguments { PageArguments(first: first, after: after, last: last, before: before) }
}

struct InvoiceCreateNoteArguments: Codable, Sendable {
    var invoiceId: EncodedId
    var input: InvoiceCreateNoteInput
}

/// `quoteCreateNote(quoteId:input:)`, shaped like its invoice counterpart (jobber-api.md names
/// the mutation; its input is taken to carry `message` as the invoice's does).
struct QuoteCreateNoteArguments: Codable, Sendable {
    var quoteId: EncodedId
    var input: InvoiceCreateNoteInput
}

struct InvoiceCreatePaymentRecordArguments: Codable, Sendable {
    var input: InvoiceCreatePaymentRecordInput
}

/// The root fields: queries and mutations over the simulated world.
struct JobberResolver: Sendable {
    /// Collects the webhook-worthy changes a mutation made, for the server to send.
    let changes: @Sendable ([JobberWorld.Change]) -> Void

    func account(context: JobberWorld, arguments: NoArguments) -> Account {
        let account = context.account
        return Account(id: account.id, name: account.name)
    }

    func client(context: JobberWorld, arguments: IDArguments) -> Client? {
        context.client(arguments.id).map { Client(record: $0, world: context) }
    }

    func clients(context: JobberWorld, arguments: PageArguments) throws -> Connection<Client> {
        try Connection.page(context.clients.map { Client(record: $0, world: context) }, arguments)
    }

    func invoice(context: JobberWorld, arguments: IDArguments) -> Invoice? {
        context.invoice(arguments.id).map { Invoice(record: $0, world: context) }
    }

    func invoices(context: JobberWorld, arguments: InvoicesArguments) throws -> Connection<Invoice> {
        var matching = context.invoices.filter { arguments.filter?.admits($0) ?? true }
        if let term = arguments.searchTerm?.lowercased(), !term.isEmpty {
            matching = matching.filter { invoice in
                invoice.invoiceNumber.contains(term) || invoice.subject.lowercased().contains(term)
                    || (context.client(invoice.clientID)?.name.lowercased().contains(term) ?? false)
            }
        }
        for order in (arguments.sort ?? []).reversed() {
            matching = sorted(matching, by: order, in: context)
        }
        return try Connection.page(matching.map { Invoice(record: $0, world: context) }, arguments.page)
    }

    func quote(context: JobberWorld, arguments: IDArguments) -> Quote? {
        context.quote(arguments.id).map { Quote(record: $0, world: context) }
    }

    func quotes(context: JobberWorld, arguments: PageArguments) throws -> Connection<Quote> {
        try Connection.page(context.quotes.map { Quote(record: $0, world: context) }, arguments)
    }

    func invoiceCreateNote(context: JobberWorld, arguments: InvoiceCreateNoteArguments) -> InvoiceCreateNotePayload {
        guard let message = arguments.input.message, !message.isEmpty else {
            return InvoiceCreateNotePayload(
                invoice: nil, invoiceNote: nil, userErrors: [MutationErrors(message: "Message can't be blank", path: ["input", "message"])])
        }
        guard let note = context.addNote(invoice: arguments.invoiceId, message: message, pinned: arguments.input.pinned ?? false) else {
            return InvoiceCreateNotePayload(
                invoice: nil, invoiceNote: nil, userErrors: [MutationErrors(message: "Invoice not found", path: ["invoiceId"])])
        }
        return InvoiceCreateNotePayload(
            invoice: invoice(context: context, arguments: IDArguments(id: arguments.invoiceId)), invoiceNote: InvoiceNote(record: note),
            userErrors: [])
    }

    func quoteCreateNote(context: JobberWorld, arguments: QuoteCreateNoteArguments) -> QuoteCreateNotePayload {
        guard let message = arguments.input.message, !message.isEmpty else {
            return QuoteCreateNotePayload(
                quoteNote: nil, userErrors: [MutationErrors(message: "Message can't be blank", path: ["input", "message"])])
        }
        guard let note = context.addNote(quote: arguments.quoteId, message: message) else {
            return QuoteCreateNotePayload(quoteNote: nil, userErrors: [MutationErrors(message: "Quote not found", path: ["quoteId"])])
        }
        return QuoteCreateNotePayload(quoteNote: QuoteNote(record: note), userErrors: [])
    }

    /// Only in the schema variant that offers it (jobber-api.md §4: absent from the public
    /// schema, present in older dumps); the write-back detects it by introspection.
    func invoiceCreatePaymentRecord(
        context: JobberWorld, arguments: InvoiceCreatePaymentRecordArguments
    ) -> InvoiceCreatePaymentRecordPayload {
        let input = arguments.input
        // Jobber's Float dollars, rounded to the cent: this is the simulator standing in for
        // Jobber, which takes Float; posplus itself sends the exact decimal text.
        let cents = Int64((input.amount * 100).rounded())
        guard cents > 0 else {
            return InvoiceCreatePaymentRecordPayload(
                paymentRecord: nil, userErrors: [MutationErrors(message: "Amount must be greater than 0", path: ["input", "amount"])])
        }
        let adjustment: IncomeAdjustmentType = input.adjustmentType == .deposit ? .deposit : .payment
        guard
            let (record, changes) = context.recordPayment(
                invoice: input.invoiceId, cents: cents, adjustment: adjustment, details: input.paymentDetails?.details)
        else {
            return InvoiceCreatePaymentRecordPayload(
                paymentRecord: nil, userErrors: [MutationErrors(message: "Invoice not found", path: ["input", "invoiceId"])])
        }
        self.changes(changes)
        return InvoiceCreatePaymentRecordPayload(paymentRecord: PaymentRecord(record: record), userErrors: [])
    }

    private func sorted(_ invoices: [InvoiceRecord], by order: InvoiceSortInput, in world: JobberWorld) -> [InvoiceRecord] {
        let ascending = order.direction == .ascending
        func key(_ invoice: InvoiceRecord) -> String {
            switch order.key {
            case .invoiceNumber: return String(repeating: "0", count: max(0, 12 - invoice.invoiceNumber.count)) + invoice.invoiceNumber
            case .invoiceStatus: return invoice.status.rawValue
            case .clientPrimaryName: return world.client(invoice.clientID)?.name ?? ""
            case .createdAt: return invoice.createdAt.text
            case .updatedAt: return invoice.updatedAt.text
            case .issuedDate: return invoice.issuedDate?.text ?? ""
            case .dueDate: return invoice.dueDate?.text ?? ""
            case .invoiceTotal: return String(format: "%020lld", invoice.totalCents)
            case .invoiceBalance: return String(format: "%020lld", world.balanceCents(invoice))
            }
        }
        // A stable sort, so a later key keeps the order of an earlier one among equals.
        return invoices.enumerated().sorted { lhs, rhs in
            let (a, b) = (key(lhs.element), key(rhs.element))
            if a == b { return lhs.offset < rhs.offset }
            return ascending ? a < b : a > b
        }.map(\.element)
    }
}

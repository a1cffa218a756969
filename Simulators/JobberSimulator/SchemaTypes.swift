import Foundation
import Graphiti

// The objects the GraphQL schema serves. Their Swift names are Jobber's type names, so
// Graphiti's generated names (`Connection<Invoice>` → `InvoiceConnection`) match Jobber's.
// Each is a snapshot of a record plus the world, for fields that look further.

struct Account: Sendable {
    let id: EncodedId
    let name: String
}

struct Email: Sendable {
    let id: EncodedId
    let address: String
    let primary: Bool
    let description: String
}

struct ClientPhoneNumber: Sendable {
    let id: EncodedId
    let number: String
    let primary: Bool
    let smsAllowed: Bool
    let description: String
}

struct Client: Sendable {
    let record: ClientRecord
    let world: JobberWorld

    var id: EncodedId { record.id }
    var name: String { record.name }
    var firstName: String { record.firstName }
    var lastName: String { record.lastName }
    var companyName: String? { record.companyName }
    var isCompany: Bool { record.companyName != nil }
    var balance: Double { dollars(world.balanceCents(client: record.id)) }
    var createdAt: ISO8601DateTime { record.createdAt }
    var emails: [Email] {
        record.emails.map { Email(id: $0.id, address: $0.address, primary: $0.primary, description: $0.description) }
    }
    var phones: [ClientPhoneNumber] {
        record.phones.map {
            ClientPhoneNumber(id: $0.id, number: $0.number, primary: $0.primary, smsAllowed: $0.smsAllowed, description: $0.description)
        }
    }

    func invoices(context: JobberWorld, arguments: PageArguments) throws -> Connection<Invoice> {
        try Connection.page(
            context.invoices.filter { $0.clientID == record.id }.map { Invoice(record: $0, world: context) }, arguments)
    }

    func quotes(context: JobberWorld, arguments: PageArguments) throws -> Connection<Quote> {
        try Connection.page(context.quotes.filter { $0.clientID == record.id }.map { Quote(record: $0, world: context) }, arguments)
    }
}

struct InvoiceAmounts: Sendable {
    let subtotal: Double
    let total: Double
    let invoiceBalance: Double
    let depositAmount: Double
    let paymentsTotal: Double
    let tipsTotal: Double
    let discountAmount: Double
    let taxAmount: Double
    let nonTaxAmount: Double
}

struct InvoiceLineItem: Sendable {
    let record: LineItemRecord

    var id: EncodedId { record.id }
    var name: String { record.name }
    var description: String? { record.description.isEmpty ? nil : record.description }
    var quantity: Double { Double(record.quantity) }
    var unitPrice: Double { dollars(record.unitCents) }
    var totalPrice: Double { dollars(record.totalCents) }
    var taxable: Bool { record.taxable }
}

struct Invoice: Sendable {
    let record: InvoiceRecord
    let world: JobberWorld

    var id: EncodedId { record.id }
    var invoiceNumber: String { record.invoiceNumber }
    var invoiceStatus: InvoiceStatusTypeEnum { record.status }
    var subject: String { record.subject }
    var issuedDate: ISO8601DateTime? { record.issuedDate }
    var dueDate: ISO8601DateTime? { record.dueDate }
    var createdAt: ISO8601DateTime { record.createdAt }
    var updatedAt: ISO8601DateTime { record.updatedAt }
    var jobberWebUri: String { "https://secure.getjobber.com/invoices/\(record.invoiceNumber)" }
    var client: Client? { world.client(record.clientID).map { Client(record: $0, world: world) } }

    var amounts: InvoiceAmounts? {
        let paid = world.paidCents(invoice: record.id)
        return InvoiceAmounts(
            subtotal: dollars(record.subtotalCents), total: dollars(record.totalCents), invoiceBalance: dollars(world.balanceCents(record)),
            depositAmount: dollars(record.depositCents), paymentsTotal: dollars(paid), tipsTotal: 0,
            discountAmount: dollars(record.discountCents), taxAmount: dollars(record.taxCents),
            nonTaxAmount: dollars(record.lineItems.filter { !$0.taxable }.reduce(0) { $0 + $1.totalCents }))
    }

    func lineItems(context: JobberWorld, arguments: PageArguments) throws -> Connection<InvoiceLineItem> {
        try Connection.page(record.lineItems.map(InvoiceLineItem.init), arguments)
    }

    func paymentRecords(context: JobberWorld, arguments: PageArguments) throws -> Connection<PaymentRecord> {
        try Connection.page(context.payments(invoice: record.id).map(PaymentRecord.init), arguments)
    }

    func notes(context: JobberWorld, arguments: PageArguments) throws -> Connection<any InvoiceNoteUnion> {
        try Connection.page(context.notes(invoice: record.id).map { InvoiceNote(record: $0) as any InvoiceNoteUnion }, arguments)
    }
}

struct QuoteAmounts: Sendable {
    let subtotal: Double
    let total: Double
    let depositAmount: Double
    let outstandingDepositAmount: Double
    let discountAmount: Double
    let taxAmount: Double
    let nonTaxAmount: Double
}

struct Quote: Sendable {
    let record: QuoteRecord
    let world: JobberWorld

    var id: EncodedId { record.id }
    var quoteNumber: String { record.quoteNumber }
    var quoteStatus: QuoteStatusTypeEnum { record.status }
    var createdAt: ISO8601DateTime { record.createdAt }
    var updatedAt: ISO8601DateTime { record.updatedAt }
    var client: Client? { world.client(record.clientID).map { Client(record: $0, world: world) } }
    var amounts: QuoteAmounts {
        let outstanding = max(0, record.depositCents - world.depositPaidCents(quote: record.id))
        return QuoteAmounts(
            subtotal: dollars(record.subtotalCents), total: dollars(record.totalCents), depositAmount: dollars(record.depositCents),
            outstandingDepositAmount: dollars(outstanding), discountAmount: 0, taxAmount: dollars(record.taxCents),
            nonTaxAmount: 0)
    }

    func depositRecords(context: JobberWorld, arguments: PageArguments) throws -> Connection<PaymentRecord> {
        try Connection.page(context.payments(quote: record.id).map(PaymentRecord.init), arguments)
    }

    func notes(context: JobberWorld, arguments: PageArguments) throws -> Connection<QuoteNote> {
        try Connection.page(context.notes(invoice: record.id).map { QuoteNote(record: $0) }, arguments)
    }
}

/// A note on a quote (`quoteCreateNote`).
struct QuoteNote: Sendable {
    let record: NoteRecord

    var id: EncodedId { record.id }
    var message: String? { record.message }
    var createdAt: ISO8601DateTime { record.createdAt }
}

struct QuoteCreateNotePayload: Sendable {
    let quoteNote: QuoteNote?
    let userErrors: [MutationErrors]
}

struct PaymentRecord: Sendable {
    let record: PaymentRecordRecord

    var id: EncodedId { record.id }
    var amount: Double { dollars(record.amountCents) }
    var entryDate: ISO8601DateTime { record.entryDate }
    var adjustmentType: IncomeAdjustmentType { record.adjustmentType }
    var details: String? { record.details }
    var tipAmount: Double { 0 }
}

/// The members of Jobber's `InvoiceNoteUnion`: what `Invoice.notes` lists.
protocol InvoiceNoteUnion: Sendable {}

struct InvoiceNote: InvoiceNoteUnion {
    let record: NoteRecord

    var id: EncodedId { record.id }
    var message: String? { record.message }
    var pinned: Bool { record.pinned }
    var createdAt: ISO8601DateTime { record.createdAt }
}

/// A job's note shown on its invoice; the simulator never creates one, but the union has it,
/// so a query that asks `... on JobNote` is valid here as it is at Jobber.
struct JobNote: InvoiceNoteUnion {
    let id: EncodedId
    let message: String?
}

struct MutationErrors: Sendable {
    let message: String
    let path: [String]
}

struct InvoiceCreateNotePayload: Sendable {
    let invoice: Invoice?
    let invoiceNote: InvoiceNote?
    let userErrors: [MutationErrors]
}

struct InvoiceCreatePaymentRecordPayload: Sendable {
    let paymentRecord: PaymentRecord?
    let userErrors: [MutationErrors]
}

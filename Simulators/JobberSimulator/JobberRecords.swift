import Foundation

// The simulator's own records. Money is kept in cents, as integers, and only turned into
// Jobber's `Float` dollars at the edge of the schema, the way Jobber itself sends it.

/// Jobber's opaque id scalar (`EncodedId`): base64 of `gid://Jobber/<Type>/<n>`.
public struct EncodedId: Codable, Hashable, Sendable, CustomStringConvertible {
    public var value: String

    public init(_ value: String) { self.value = value }

    /// The id Jobber would give record `number` of `type`.
    public init(type: String, number: Int) {
        value = Data("gid://Jobber/\(type)/\(number)".utf8).base64EncodedString()
    }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public var description: String { value }
}

/// Jobber's date-time scalar: ISO 8601 text with an offset.
public struct ISO8601DateTime: Codable, Hashable, Sendable {
    public var text: String

    public init(_ date: Date) {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "America/Toronto")
        text = formatter.string(from: date)
    }

    public init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    var date: Date? { ISO8601DateFormatter().date(from: text) }
}

/// `InvoiceStatusTypeEnum`, with Jobber's snake_case values.
public enum InvoiceStatusTypeEnum: String, Codable, CaseIterable, Sendable {
    case draft
    case awaitingPayment = "awaiting_payment"
    case paid
    case pastDue = "past_due"
    case badDebt = "bad_debt"
    case sentNotDue = "sent_not_due"

    var isOpen: Bool { [.awaitingPayment, .pastDue, .sentNotDue].contains(self) }
}

/// `QuoteStatusTypeEnum`.
public enum QuoteStatusTypeEnum: String, Codable, CaseIterable, Sendable {
    case draft
    case awaitingResponse = "awaiting_response"
    case archived
    case approved
    case converted
    case changesRequested = "changes_requested"
}

/// `IncomeAdjustmentType`: what a payment record does to the balance.
public enum IncomeAdjustmentType: String, Codable, CaseIterable, Sendable {
    case invoice = "INVOICE"
    case refund = "REFUND"
    case correction = "CORRECTION"
    case initialBalance = "INITIAL_BALANCE"
    case failedAchPayment = "FAILED_ACH_PAYMENT"
    case payment = "PAYMENT"
    case deposit = "DEPOSIT"
    case badDebt = "BAD_DEBT"

    /// The sign this adjustment has on what was paid.
    var paidSign: Int64 {
        switch self {
        case .payment, .deposit: return 1
        case .refund, .failedAchPayment: return -1
        case .invoice, .correction, .initialBalance, .badDebt: return 0
        }
    }
}

/// `PaymentRecordAdjustmentType`, the input side of `invoiceCreatePaymentRecord`.
public enum PaymentRecordAdjustmentType: String, Codable, CaseIterable, Sendable {
    case deposit = "DEPOSIT"
    case payment = "PAYMENT"
}

/// `SortDirectionEnum`.
public enum SortDirectionEnum: String, Codable, CaseIterable, Sendable {
    case ascending = "ASCENDING"
    case descending = "DESCENDING"
}

/// `InvoiceSortKey`: the keys the simulator can sort by.
public enum InvoiceSortKey: String, Codable, CaseIterable, Sendable {
    case invoiceNumber = "INVOICE_NUMBER"
    case invoiceStatus = "INVOICE_STATUS"
    case clientPrimaryName = "CLIENT_PRIMARY_NAME"
    case createdAt = "CREATED_AT"
    case updatedAt = "UPDATED_AT"
    case issuedDate = "ISSUED_DATE"
    case dueDate = "DUE_DATE"
    case invoiceTotal = "INVOICE_TOTAL"
    case invoiceBalance = "INVOICE_BALANCE"
}

struct AccountRecord: Sendable {
    var id: EncodedId
    var name: String
}

struct EmailRecord: Sendable {
    var id: EncodedId
    var address: String
    var primary: Bool
    var description: String
}

struct PhoneRecord: Sendable {
    var id: EncodedId
    var number: String
    var primary: Bool
    var smsAllowed: Bool
    var description: String
}

struct ClientRecord: Sendable {
    var id: EncodedId
    var firstName: String
    var lastName: String
    var companyName: String?
    var emails: [EmailRecord]
    var phones: [PhoneRecord]
    var createdAt: ISO8601DateTime

    var name: String { companyName ?? "\(firstName) \(lastName)" }
}

struct LineItemRecord: Sendable {
    var id: EncodedId
    var name: String
    var description: String
    var quantity: Int
    var unitCents: Int64
    var taxable: Bool

    var totalCents: Int64 { Int64(quantity) * unitCents }
}

struct InvoiceRecord: Sendable {
    var id: EncodedId
    var invoiceNumber: String
    var status: InvoiceStatusTypeEnum
    var subject: String
    var clientID: EncodedId
    var lineItems: [LineItemRecord]
    var taxCents: Int64
    var discountCents: Int64
    var depositCents: Int64
    var issuedDate: ISO8601DateTime?
    var dueDate: ISO8601DateTime?
    var createdAt: ISO8601DateTime
    var updatedAt: ISO8601DateTime

    var subtotalCents: Int64 { lineItems.reduce(0) { $0 + $1.totalCents } }
    var totalCents: Int64 { subtotalCents + taxCents - discountCents }
}

struct QuoteRecord: Sendable {
    var id: EncodedId
    var quoteNumber: String
    var status: QuoteStatusTypeEnum
    var clientID: EncodedId
    var lineItems: [LineItemRecord]
    var taxCents: Int64
    var depositCents: Int64
    var createdAt: ISO8601DateTime
    var updatedAt: ISO8601DateTime

    var subtotalCents: Int64 { lineItems.reduce(0) { $0 + $1.totalCents } }
    var totalCents: Int64 { subtotalCents + taxCents }
}

struct PaymentRecordRecord: Sendable {
    var id: EncodedId
    var invoiceID: EncodedId?
    var quoteID: EncodedId?
    var clientID: EncodedId
    var amountCents: Int64
    var adjustmentType: IncomeAdjustmentType
    var details: String?
    var entryDate: ISO8601DateTime
}

struct NoteRecord: Sendable {
    var id: EncodedId
    var invoiceID: EncodedId
    var message: String
    var pinned: Bool
    var createdAt: ISO8601DateTime
}

/// Cents as Jobber's `Float` dollars. 460 → 4.6: a `Double` prints the shortest text that
/// reads back as itself, so the JSON carries exactly the digits Jobber would send.
func dollars(_ cents: Int64) -> Double {
    Double(cents) / 100
}

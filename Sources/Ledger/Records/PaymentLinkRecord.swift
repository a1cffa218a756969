import Foundation
import GRDB
import PosPlusCore

/// One row of `paymentLink`: a hosted payment page sent to a customer for an invoice or a
/// quote deposit, and the payment it produced once paid.
///
/// A row that exists, so its id is never nil; a new link is written as a ``Draft``.
public struct PaymentLinkRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "paymentLink"

    public enum State: String, Codable, Sendable {
        case open
        case paid
        case cancelled
        case expired
    }

    public var id: Int64
    public var processor: String
    public var processorLinkID: String
    public var url: String
    public var invoiceID: String?
    public var invoiceNumber: String?
    public var quoteID: String?
    /// The quote number staff and the customer see, for a deposit link.
    public var quoteNumber: String?
    public var currency: Currency
    public var amountMinor: Int64
    public var state: State
    /// The payment recorded when the customer paid.
    public var paymentID: Int64?
    /// Our reference, carried in the processor's metadata to match webhooks back.
    public var reference: String
    public var createdAt: Date
    public var updatedAt: Date
    public var expiresAt: Date?
    /// Who sent it (the actor of its `link.create` event): a technician sees only their own.
    public var sentBy: String?

    /// What the link asks the customer to pay.
    public var amount: Money { Money(minorUnits: amountMinor, currency: currency) }
}

extension PaymentLinkRecord {
    /// A link's row before SQLite has given it an id (GRDB's "partial record"): inserted with
    /// `insertAndFetch(_:as:)`, it comes back as the ``PaymentLinkRecord`` that was stored.
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = PaymentLinkRecord.databaseTableName

        var processor: String
        var processorLinkID: String
        var url: String
        var invoiceID: String?
        var invoiceNumber: String?
        var quoteID: String?
        var quoteNumber: String?
        var currency: Currency
        var amountMinor: Int64
        var state: State
        var reference: String
        var createdAt: Date
        var updatedAt: Date
        var expiresAt: Date?
        var sentBy: String?
    }
}

import Foundation
import GRDB
import PosPlusCore

/// A card dispute (chargeback) on one of posplus's payments, as the processor reports it.
public struct DisputeRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "dispute"

    public var id: Int64
    /// The processor that reported it (`stripe`) and its id there (`dp_…`, `du_…`).
    public var processor: String
    public var processorDisputeID: String
    public var paymentID: Int64
    public var invoiceID: String?
    public var clientID: String?
    public var currency: Currency
    public var amountMinor: Int64
    /// The bank's stated reason (`fraudulent`, `product_not_received`, …).
    public var reason: String
    /// The processor's status word (`needs_response`, `under_review`, `won`, `lost`, …).
    public var status: String
    /// Still to be decided: nothing is chased or refunded on it meanwhile.
    public var isOpen: Bool
    public var openedAt: Date
    public var updatedAt: Date
    public var closedAt: Date?

    public var amount: Money { Money(minorUnits: amountMinor, currency: currency) }

    /// "dispute dp_1 of $120.00 (fraudulent; the bank waits for the business's evidence)".
    public var summary: String {
        "dispute \(processorDisputeID) of \(amount.formatted) (\(Self.words(reason)); \(statusWords))"
    }

    /// The status as an office worker reads it; a word posplus does not know is shown as it came.
    public var statusWords: String {
        switch status {
        case "warning_needs_response": "an inquiry: the bank asks the business for information before any chargeback"
        case "warning_under_review": "an inquiry: the bank is reviewing the business's answer"
        case "warning_closed": "an inquiry, closed without a chargeback"
        case "needs_response": "the bank waits for the business's evidence"
        case "under_review": "the bank is reviewing the business's evidence"
        case "won": "won: the money stays with the business"
        case "lost": "lost: the money went back to the cardholder"
        default: Self.words(status)
        }
    }

    static func words(_ code: String) -> String { code.replacingOccurrences(of: "_", with: " ") }

    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = DisputeRecord.databaseTableName

        var processor: String
        var processorDisputeID: String
        var paymentID: Int64
        var invoiceID: String?
        var clientID: String?
        var currency: Currency
        var amountMinor: Int64
        var reason: String
        var status: String
        var isOpen: Bool
        var openedAt: Date
        var updatedAt: Date
        var closedAt: Date?
    }
}

/// A dispute as the processor reports it now: recorded, or moved on if already known.
public struct ReportedDispute: Equatable, Sendable {
    public var processor: String
    public var processorDisputeID: String
    public var paymentID: Int64
    public var amount: Money
    public var reason: String
    public var status: String

    public init(processor: String, processorDisputeID: String, paymentID: Int64, amount: Money, reason: String, status: String) {
        self.processor = processor
        self.processorDisputeID = processorDisputeID
        self.paymentID = paymentID
        self.amount = amount
        self.reason = reason
        self.status = status
    }

    /// Stripe's closed statuses: decided for the business (`won`), for the cardholder (`lost`),
    /// an inquiry closed without a chargeback, or settled by a refund or prevented upstream.
    /// Any other word, known or new, is treated as open: a dispute is never closed by a guess.
    public var isOpen: Bool { !["won", "lost", "warning_closed", "charge_refunded", "prevented"].contains(status) }
}

import Foundation
import GRDB
import PosPlusCore

/// One row of `approval`: a request held for a manager, what was decided, and the payment it
/// made once run. A row that exists, so its id is never nil; a new one is a ``NewApproval``.
public struct ApprovalRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "approval"

    public enum Kind: String, Codable, Equatable, Sendable, CaseIterable, DatabaseValueConvertible {
        case refund
        case void
        case keyedSale
        /// A payment link over `approvals.link_over`; approved, it is sent under its key.
        case link
        /// A charge held before it was sent (by the risk signals, `risk.mode`); approved, it runs
        /// through the one payment path under its key. (A keyed sale keeps `keyedSale`, a link
        /// `link`, whatever held it: the kind says what runs, the reason says why it waited.)
        case charge
        /// A step of a decline's recovery (a retry of a saved card, a payment link) that waits
        /// for a person in `declines.mode = suggest`.
        case declineStep
        /// A payment plan over `plans.approve_over` (or any, in suggest mode); approved, it is scheduled.
        case plan
        /// A reminder that waits for a person in suggest mode.
        case reminder
    }

    public enum State: String, Codable, Equatable, Sendable, CaseIterable, DatabaseValueConvertible {
        case waiting
        case approved
        case denied
    }

    public var id: Int64
    public var idempotencyKey: String
    public var kind: Kind
    public var state: State
    /// What was asked, for people ("refund $250.00 of payment 12 on front-desk").
    public var summary: String
    /// Which rule held it, for people.
    public var reason: String
    public var amountMinor: Int64
    public var currency: Currency
    public var channel: String
    /// The request as asked; run unchanged once approved.
    public var orderJSON: String
    /// The payment a void or refund gives money back on.
    public var paymentID: Int64?
    public var invoiceNumber: String?
    public var requestedBy: String
    public var requestedAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    public var note: String?
    /// The payment the approved request made (set once it has run).
    public var resultPaymentID: Int64?
    /// The payment link an approved link request sent (set once it was sent).
    public var resultLinkID: Int64?

    public var amount: Money { Money(minorUnits: amountMinor, currency: currency) }
}

/// A request to hold: everything but what the ledger assigns (id, state, time).
public struct NewApproval: Equatable, Sendable {
    public var idempotencyKey: IdempotencyKey
    public var kind: ApprovalRecord.Kind
    public var summary: String
    public var reason: String
    public var amount: Money
    public var channel: String
    public var orderJSON: String
    public var paymentID: Int64?
    public var invoiceNumber: String?

    public init(
        idempotencyKey: IdempotencyKey, kind: ApprovalRecord.Kind, summary: String, reason: String, amount: Money, channel: String,
        orderJSON: String, paymentID: Int64? = nil, invoiceNumber: String? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.kind = kind
        self.summary = summary
        self.reason = reason
        self.amount = amount
        self.channel = channel
        self.orderJSON = orderJSON
        self.paymentID = paymentID
        self.invoiceNumber = invoiceNumber
    }
}

extension ApprovalRecord {
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = ApprovalRecord.databaseTableName

        var idempotencyKey: String
        var kind: Kind
        var state: State
        var summary: String
        var reason: String
        var amountMinor: Int64
        var currency: Currency
        var channel: String
        var orderJSON: String
        var paymentID: Int64?
        var invoiceNumber: String?
        var requestedBy: String
        var requestedAt: Date
    }
}

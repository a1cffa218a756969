import Foundation
import GRDB

/// One row of `attempt`: one try at carrying out a payment, under its own reference.
///
/// The reference is the terminal's ECR reference and the gateway's idempotency key. A new
/// attempt (after a lookup proved the last one never happened) always gets a new reference.
///
/// A row that exists, so its id is never nil; a new attempt is written as a ``Draft``.
public struct AttemptRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "attempt"

    public enum Outcome: String, Codable, Sendable {
        /// Recorded before the first byte is sent; still waiting.
        case inFlight
        case approved
        case partiallyApproved
        case declined
        /// Sent, answer lost: must be looked up by reference.
        case unknown
        /// ACH accepted, not settled.
        case pending
        /// A lookup proved the processor never saw it.
        case notFound
        /// Dropped before sending.
        case abandoned
    }

    public var id: Int64
    public var paymentID: Int64
    public var number: Int
    public var reference: String
    public var channel: String
    public var outcome: Outcome
    public var resultCode: String?
    public var message: String?
    public var authCode: String?
    public var processorReference: String?
    /// The terminal's own number for the transaction, which a void or refund of it must quote.
    public var deviceRecordNumber: String?
    public var startedAt: Date
    public var finishedAt: Date?
    /// Where the request went, when the channel's name alone cannot say (a terminal named by
    /// address): the channel's own text, read back by whoever builds channels for Recovery.
    public var endpoint: String? = nil
    /// The process that sent it (`pid:starttime`), while it may still be waiting for the answer.
    public var owner: String? = nil
    /// The codes behind the answer (see ``DeclineCodes``), cleaned when stored.
    public var hostCode: String? = nil
    public var gatewayCode: String? = nil
    public var gatewayDeclineCode: String? = nil

    /// The stored codes in one value.
    public var codes: DeclineCodes {
        DeclineCodes(hostCode: hostCode, gatewayCode: gatewayCode, gatewayDeclineCode: gatewayDeclineCode)
    }
}

extension AttemptRecord {
    /// An attempt's row before SQLite has given it an id (GRDB's "partial record"): inserted
    /// with `insertAndFetch(_:as:)`, it comes back as the ``AttemptRecord`` that was stored.
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = AttemptRecord.databaseTableName

        var paymentID: Int64
        var number: Int
        var reference: String
        var channel: String
        var outcome: Outcome
        var startedAt: Date
        var endpoint: String?
        var owner: String?
    }
}

import Foundation
import GRDB

/// One row of `outboxJob`: work that must happen after a payment commits (a Jobber
/// write-back, a receipt, an SMS), recorded in the same transaction as the payment so it can
/// never be forgotten, and retried until it succeeds or is parked as `dead` for a person.
///
/// A row that exists, so its id is never nil; a new job is written as a ``Draft``.
public struct OutboxJobRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "outboxJob"

    public enum State: String, Codable, Sendable {
        case pending
        /// Claimed by a worker until `leaseUntil`; if the worker dies the lease runs out and
        /// another worker takes the job again.
        case running
        case done
        /// Out of attempts: needs a person.
        case dead
    }

    public var id: Int64
    /// What to do (`jobber.writeBack`, `receipt.email`, …); the worker dispatches on it.
    public var kind: String
    public var paymentID: Int64?
    /// Enqueuing the same key twice keeps one job: "exactly once" starts here.
    public var dedupeKey: String
    /// The job's input as JSON.
    public var payload: String
    public var state: State
    public var attempts: Int
    public var nextRunAt: Date
    public var leaseUntil: Date?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
}

extension OutboxJobRecord {
    /// A job's row before SQLite has given it an id (GRDB's "partial record"): inserted with
    /// `insertAndFetch(_:as:)`, it comes back as the ``OutboxJobRecord`` that was stored.
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = OutboxJobRecord.databaseTableName

        var kind: String
        var paymentID: Int64?
        var dedupeKey: String
        var payload: String
        var state: State
        var attempts: Int
        var nextRunAt: Date
        var createdAt: Date
        var updatedAt: Date
    }
}

/// A job to enqueue alongside a ledger change.
public struct NewOutboxJob: Equatable, Sendable {
    public var kind: String
    public var dedupeKey: String
    public var payload: String
    public var runAt: Date?

    public init(kind: String, dedupeKey: String, payload: String, runAt: Date? = nil) {
        self.kind = kind
        self.dedupeKey = dedupeKey
        self.payload = payload
        self.runAt = runAt
    }
}

import Foundation
import GRDB

/// One row of `outboxJob`: work that must happen after a payment commits (a Jobber
/// write-back, a receipt, an SMS), recorded in the same transaction as the payment so it can
/// never be forgotten, and retried until it succeeds or is parked as `dead` for a person.
public struct OutboxJobRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
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

    public var id: Int64?
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

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
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

import Foundation
import GRDB
import PosPlusCore

/// One row of `reconcileItem`: a difference reconcile found, and what became of it.
///
/// A row that exists, so its id is never nil; a new item is written as a ``Draft``.
public struct ReconcileItemRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "reconcileItem"

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Still to look at.
        case open
        /// `--apply` performed its safe action.
        case fixed
        /// A person closed it (`posplus reconcile resolve`).
        case resolved
        /// A later run covering its window no longer found it: the sides caught up.
        case cleared
    }

    /// How a person closed an item.
    public enum Resolution: String, Codable, Sendable, CaseIterable {
        case matched
        case writeOff = "write-off"
        case ignored
    }

    public var id: Int64
    public var key: String
    public var kind: String
    public var reference: String?
    public var invoiceID: String?
    public var explanation: String
    /// When the money behind it moved (the earliest dated record): which window it belongs to.
    public var occurredAt: Date?
    /// The item as JSON (records on each side, difference, action), for `show` and `--json`.
    public var detail: String
    public var differenceMinor: Int64?
    public var currency: Currency?
    public var action: String?
    public var status: Status
    public var resolution: Resolution?
    public var resolvedBy: String?
    public var note: String?
    public var firstSeenAt: Date
    public var lastSeenAt: Date
    public var closedAt: Date?
}

extension ReconcileItemRecord {
    /// An item's row before SQLite has given it an id (GRDB's "partial record"), as a run first
    /// finds it: open, seen once.
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = ReconcileItemRecord.databaseTableName

        var key: String
        var kind: String
        var reference: String?
        var invoiceID: String?
        var explanation: String
        var occurredAt: Date?
        var detail: String
        var differenceMinor: Int64?
        var currency: Currency?
        var action: String?
        var status: Status
        var firstSeenAt: Date
        var lastSeenAt: Date
    }
}

/// A difference as one reconcile run found it, for ``Ledger/recordReconcileRun(_:since:until:actor:)``.
public struct FoundDifference: Equatable, Sendable {
    public var key: String
    public var kind: String
    public var reference: String?
    public var invoiceID: String?
    public var explanation: String
    public var occurredAt: Date?
    public var detail: String
    public var differenceMinor: Int64?
    public var currency: Currency?
    public var action: String?

    public init(
        key: String, kind: String, reference: String?, invoiceID: String?, explanation: String, occurredAt: Date?, detail: String,
        differenceMinor: Int64?, currency: Currency?, action: String?
    ) {
        self.occurredAt = occurredAt
        self.key = key
        self.kind = kind
        self.reference = reference
        self.invoiceID = invoiceID
        self.explanation = explanation
        self.detail = detail
        self.differenceMinor = differenceMinor
        self.currency = currency
        self.action = action
    }
}

import Foundation
import GRDB
import PosPlusCore

/// One planned reminder of an unpaid invoice (issue 13, part 6): when it goes, and what came of
/// it — a link sent, a proposal waiting for a person, or skipped with the reason.
public struct ReminderRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "reminder"

    public enum State: String, Codable, Equatable, Sendable, DatabaseValueConvertible {
        case scheduled
        /// Waits for a person (`reminders.mode = suggest`).
        case proposed
        case sent
        /// Not sent: paid, over the limit, the due date changed, or a person said no.
        case skipped
    }

    public var id: Int64
    public var invoiceID: String
    public var invoiceNumber: String
    /// The due date the plan was made for (`2026-12-20`, or `none`).
    public var dueKey: String
    /// 1, 2, 3… within the plan.
    public var number: Int
    /// Days relative to the due date.
    public var day: Int
    public var sendAt: Date
    public var state: State
    public var approvalID: Int64?
    public var linkID: Int64?
    public var outcome: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// The key its link is sent under: the same reminder sent twice finds the first link.
    public var idempotencyKey: String { "reminder-\(id)" }

    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = ReminderRecord.databaseTableName

        var invoiceID: String
        var invoiceNumber: String
        var dueKey: String
        var number: Int
        var day: Int
        var sendAt: Date
        var state: State
        var createdAt: Date
        var updatedAt: Date
    }
}

/// A reminder to plan: its number, its day relative to the due date, and when it goes.
public struct NewReminder: Equatable, Sendable {
    public var number: Int
    public var day: Int
    public var sendAt: Date

    public init(number: Int, day: Int, sendAt: Date) {
        self.number = number
        self.day = day
        self.sendAt = sendAt
    }
}

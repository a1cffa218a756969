import Foundation
import GRDB
import PosPlusCore

/// One row of `staff`: a person who logs in to the console or owns API tokens.
///
/// Holds the bcrypt hash of the password, never the password; the description leaves the hash
/// out so a record printed in a log or an error carries nothing to attack offline.
/// A row that exists, so its id is never nil; a new person is written as a ``Draft``.
public struct StaffRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord, CustomStringConvertible {
    public static let databaseTableName = "staff"

    public var id: Int64
    /// As it was typed when added; compared without regard to case.
    public var name: String
    public var role: StaffRole
    /// bcrypt (`$2b$…`), 60 characters.
    public var passwordHash: String
    public var disabledAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public var isDisabled: Bool { disabledAt != nil }

    public var description: String { "\(name) (\(role)\(isDisabled ? ", disabled" : ""))" }
}

extension StaffRecord {
    /// A person's row before SQLite has given it an id.
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = StaffRecord.databaseTableName

        var name: String
        var role: StaffRole
        var passwordHash: String
        var createdAt: Date
        var updatedAt: Date
    }
}

extension StaffRole: DatabaseValueConvertible {}

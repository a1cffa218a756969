import Foundation
import GRDB

/// One row of `apiToken`: a script's bearer token, acting as the staff member it belongs to.
/// Only the token's SHA-256 is stored; the token itself is printed once, when it is made.
public struct APITokenRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "apiToken"

    public var id: Int64
    public var staffID: Int64
    /// What the token is for ("nightly export"), so a list says which to revoke.
    public var label: String
    public var secretHash: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

extension APITokenRecord {
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = APITokenRecord.databaseTableName

        var staffID: Int64
        var label: String
        var secretHash: String
        var createdAt: Date
    }
}

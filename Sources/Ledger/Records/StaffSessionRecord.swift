import Foundation
import GRDB

/// One row of `staffSession`: a browser's login. The cookie's secret is not here, only its
/// SHA-256, so reading the ledger opens no session.
public struct StaffSessionRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "staffSession"

    public var id: Int64
    public var staffID: Int64
    public var secretHash: String
    /// The address the login came from, for the audit trail.
    public var clientAddress: String?
    public var createdAt: Date
    /// When the session was last used (to within the touch interval); idle expiry counts from it.
    public var lastSeenAt: Date
    /// The absolute end: however busy the session, it ends here.
    public var expiresAt: Date
    public var revokedAt: Date?
}

extension StaffSessionRecord {
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = StaffSessionRecord.databaseTableName

        var staffID: Int64
        var secretHash: String
        var clientAddress: String?
        var createdAt: Date
        var lastSeenAt: Date
        var expiresAt: Date
    }
}

import Foundation
import GRDB
import PosPlusCore

/// A stored Jobber OAuth connection. Token fields are ``Secret``s: printing a connection shows
/// `<redacted>`.
public struct JobberConnection: Equatable, Sendable {
    public var accountID: String
    public var accountName: String?
    public var accessToken: Secret<String>
    public var refreshToken: Secret<String>
    public var accessExpiresAt: Date
    public var connectedAt: Date
    public var refreshedAt: Date?
    public var disconnectedAt: Date?

    public init(
        accountID: String, accountName: String?, accessToken: Secret<String>, refreshToken: Secret<String>, accessExpiresAt: Date,
        connectedAt: Date, refreshedAt: Date? = nil, disconnectedAt: Date? = nil
    ) {
        self.accountID = accountID
        self.accountName = accountName
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.accessExpiresAt = accessExpiresAt
        self.connectedAt = connectedAt
        self.refreshedAt = refreshedAt
        self.disconnectedAt = disconnectedAt
    }
}

extension Ledger {
    /// Stores (or replaces) the connection; durable before it returns.
    public func saveJobberConnection(_ connection: JobberConnection, actor: String) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO jobberConnection (accountID, accountName, accessToken, refreshToken, accessExpiresAt, connectedAt, refreshedAt, disconnectedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(accountID) DO UPDATE SET accountName = excluded.accountName, accessToken = excluded.accessToken,
                      refreshToken = excluded.refreshToken, accessExpiresAt = excluded.accessExpiresAt, refreshedAt = excluded.refreshedAt,
                      disconnectedAt = excluded.disconnectedAt
                    """,
                arguments: [
                    connection.accountID, connection.accountName, connection.accessToken.expose(), connection.refreshToken.expose(),
                    connection.accessExpiresAt, connection.connectedAt, connection.refreshedAt, connection.disconnectedAt,
                ])
            try AuditChain.append(
                db, kind: connection.disconnectedAt == nil ? "jobber.tokens" : "jobber.disconnect", paymentID: nil, actor: actor,
                detail: ["account": .text(connection.accountID)], at: now())
        }
    }

    /// The connection for an account, or the only one when `accountID` is nil.
    public func jobberConnection(accountID: String? = nil) throws -> JobberConnection? {
        try read { db in
            let row: Row?
            if let accountID {
                row = try Row.fetchOne(db, sql: "SELECT * FROM jobberConnection WHERE accountID = ?", arguments: [accountID])
            } else {
                row = try Row.fetchOne(db, sql: "SELECT * FROM jobberConnection ORDER BY connectedAt DESC LIMIT 1")
            }
            return row.map { row in
                JobberConnection(
                    accountID: row["accountID"], accountName: row["accountName"], accessToken: Secret(row["accessToken"]),
                    refreshToken: Secret(row["refreshToken"]), accessExpiresAt: row["accessExpiresAt"], connectedAt: row["connectedAt"],
                    refreshedAt: row["refreshedAt"], disconnectedAt: row["disconnectedAt"])
            }
        }
    }
}

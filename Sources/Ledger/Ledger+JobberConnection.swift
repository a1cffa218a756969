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

/// The two token columns, sealed with the ledger key (see ``SealedSecret``): a copy of the
/// ledger without its key holds no usable token.
enum JobberTokenColumns {
    static func place(_ column: String, account: String) -> SealedSecret.Place {
        SealedSecret.Place(table: "jobberConnection", column: column, row: account)
    }
}

extension Ledger {
    /// `token` as stored in `column` of `account`'s row.
    func sealJobberToken(_ token: Secret<String>, _ column: String, account: String) throws -> String {
        try SealedSecret.seal(token.expose(), at: JobberTokenColumns.place(column, account: account), key: key)
    }

    /// Stores (or replaces) the connection; durable before it returns.
    ///
    /// Needs no stored token to be readable: connecting again is the way back from a lost key.
    public func saveJobberConnection(_ connection: JobberConnection, actor: String) throws {
        let access = try sealJobberToken(connection.accessToken, "accessToken", account: connection.accountID)
        let refresh = try sealJobberToken(connection.refreshToken, "refreshToken", account: connection.accountID)
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO jobberConnection (accountID, accountName, accessToken, refreshToken, accessExpiresAt, connectedAt, refreshedAt, disconnectedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(accountID) DO UPDATE SET accountName = excluded.accountName, accessToken = excluded.accessToken,
                      refreshToken = excluded.refreshToken, accessExpiresAt = excluded.accessExpiresAt, refreshedAt = excluded.refreshedAt,
                      disconnectedAt = excluded.disconnectedAt, refreshLeaseUntil = NULL
                    """,
                arguments: [
                    connection.accountID, connection.accountName, access, refresh,
                    connection.accessExpiresAt, connection.connectedAt, connection.refreshedAt, connection.disconnectedAt,
                ])
            try AuditChain.append(
                db, kind: connection.disconnectedAt == nil ? "jobber.tokens" : "jobber.disconnect", paymentID: nil, actor: actor,
                detail: ["account": .text(connection.accountID)], at: now())
        }
    }

    /// The connection for an account, or the only one when `accountID` is nil.
    /// - Throws: ``LedgerError/secretUnreadable(_:)`` when the tokens were sealed with another key.
    public func jobberConnection(accountID: String? = nil) throws -> JobberConnection? {
        try read { db in try jobberConnection(db, accountID: accountID) }
    }

    /// Claims the right to refresh the pair whose refresh token is `refreshToken`, for `lease`
    /// seconds, across every process sharing this ledger.
    ///
    /// Jobber rotates refresh tokens and refuses a used one, so two processes refreshing the same
    /// pair would leave one of them (and perhaps the stored pair) dead. One transaction reads the
    /// stored pair and takes the lease only if the pair is still the one presented and nobody
    /// else holds it; otherwise it says what the caller should do instead.
    public func claimJobberRefresh(accountID: String, refreshToken: Secret<String>, lease: TimeInterval) throws -> JobberRefreshClaim {
        try write { db in
            guard let stored = try jobberConnection(db, accountID: accountID), stored.disconnectedAt == nil else {
                return .notConnected
            }
            guard stored.refreshToken.expose() == refreshToken.expose() else { return .replaced(stored) }
            let time = now()
            let held = try Date.fetchOne(
                db, sql: "SELECT refreshLeaseUntil FROM jobberConnection WHERE accountID = ?", arguments: [accountID])
            if let held, held > time { return .busy(until: held) }
            try db.execute(
                sql: "UPDATE jobberConnection SET refreshLeaseUntil = ? WHERE accountID = ?",
                arguments: [time.addingTimeInterval(lease), accountID])
            return .claimed
        }
    }

    /// Stores a refreshed pair only if the stored refresh token is still `replacing` (the one the
    /// refresh used up), and releases the refresh lease: a compare-and-swap, so a pair another
    /// process stored meanwhile (a reconnect, a refresh after our lease ran out) is never
    /// overwritten with an older one.
    ///
    /// - Returns: the connection as stored now (ours, or the one that stands instead), or nil when
    ///   the account is no longer connected.
    public func storeRefreshedJobberTokens(
        accountID: String, replacing used: Secret<String>, accessToken: Secret<String>, refreshToken: Secret<String>,
        accessExpiresAt: Date, actor: String
    ) throws -> JobberConnection? {
        let access = try sealJobberToken(accessToken, "accessToken", account: accountID)
        let refresh = try sealJobberToken(refreshToken, "refreshToken", account: accountID)
        return try write { db in
            guard var stored = try jobberConnection(db, accountID: accountID), stored.disconnectedAt == nil else { return nil }
            guard stored.refreshToken.expose() == used.expose() else { return stored }
            let time = now()
            try db.execute(
                sql: """
                    UPDATE jobberConnection SET accessToken = ?, refreshToken = ?, accessExpiresAt = ?, refreshedAt = ?,
                      refreshLeaseUntil = NULL WHERE accountID = ?
                    """,
                arguments: [access, refresh, accessExpiresAt, time, accountID])
            try AuditChain.append(
                db, kind: "jobber.tokens", paymentID: nil, actor: actor, detail: ["account": .text(accountID)], at: time)
            stored.accessToken = accessToken
            stored.refreshToken = refreshToken
            stored.accessExpiresAt = accessExpiresAt
            stored.refreshedAt = time
            return stored
        }
    }

    /// Gives up a refresh lease taken with ``claimJobberRefresh(accountID:refreshToken:lease:)``
    /// (the refresh failed), so another process need not wait for it to run out.
    public func releaseJobberRefresh(accountID: String, refreshToken: Secret<String>) throws {
        try write { db in
            // Sealed tokens differ on every write, so the comparison is on the opened token.
            guard let stored = try jobberConnection(db, accountID: accountID), stored.refreshToken == refreshToken else { return }
            try db.execute(sql: "UPDATE jobberConnection SET refreshLeaseUntil = NULL WHERE accountID = ?", arguments: [accountID])
        }
    }

    /// Records that Jobber refused `accessToken` because the account disconnected the app (its
    /// 401 says so), as the APP_DISCONNECT webhook would: the tokens are forgotten, so no
    /// process sends Jobber anything more until staff connect again. Only while the stored
    /// access token is still the refused one: a pair stored since (a reconnect) stands.
    /// - Returns: whether the connection was marked disconnected now.
    @discardableResult
    public func markJobberDisconnected(accountID: String, refusedAccessToken accessToken: Secret<String>, actor: String) throws -> Bool {
        try write { db in
            guard let stored = try jobberConnection(db, accountID: accountID), stored.disconnectedAt == nil,
                stored.accessToken == accessToken
            else { return false }
            let time = now()
            try db.execute(
                sql: """
                    UPDATE jobberConnection SET disconnectedAt = ?, accessToken = '', refreshToken = '', refreshLeaseUntil = NULL
                    WHERE accountID = ?
                    """,
                arguments: [time, accountID])
            try AuditChain.append(
                db, kind: "jobber.disconnect", paymentID: nil, actor: actor, detail: ["account": .text(accountID)], at: time)
            return true
        }
    }

    /// The row as a connection, its tokens opened with this ledger's key.
    func jobberConnection(_ db: Database, accountID: String?) throws -> JobberConnection? {
        let row: Row?
        if let accountID {
            row = try Row.fetchOne(db, sql: "SELECT * FROM jobberConnection WHERE accountID = ?", arguments: [accountID])
        } else {
            row = try Row.fetchOne(db, sql: "SELECT * FROM jobberConnection ORDER BY connectedAt DESC LIMIT 1")
        }
        guard let row else { return nil }
        let account: String = row["accountID"]
        let access = try SealedSecret.open(row["accessToken"], at: JobberTokenColumns.place("accessToken", account: account), key: key)
        let refresh = try SealedSecret.open(row["refreshToken"], at: JobberTokenColumns.place("refreshToken", account: account), key: key)
        return JobberConnection(
            accountID: account, accountName: row["accountName"], accessToken: Secret(access), refreshToken: Secret(refresh),
            accessExpiresAt: row["accessExpiresAt"], connectedAt: row["connectedAt"], refreshedAt: row["refreshedAt"],
            disconnectedAt: row["disconnectedAt"])
    }
}

/// What ``Ledger/claimJobberRefresh(accountID:refreshToken:lease:)`` found.
public enum JobberRefreshClaim: Equatable, Sendable {
    /// This process holds the lease: refresh, then store with
    /// ``Ledger/storeRefreshedJobberTokens(accountID:replacing:accessToken:refreshToken:accessExpiresAt:actor:)``.
    case claimed
    /// The stored pair is no longer the one presented (another process refreshed, or staff
    /// reconnected): use this one, no refresh needed.
    case replaced(JobberConnection)
    /// Another process is refreshing this very pair until at most `until`: read again shortly.
    case busy(until: Date)
    /// No connection is stored, or the account disconnected.
    case notConnected
}

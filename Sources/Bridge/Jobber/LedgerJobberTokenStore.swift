import Foundation
import Jobber
import Ledger
import PosPlusCore

/// Jobber tokens kept in the ledger database (mode 0600), shared by every posplus process that
/// opens it. Every call is one ledger transaction: the pair is read fresh each time, a refresh is
/// claimed with a lease on the connection row, and a refreshed pair is stored only if the
/// stored refresh token is still the one that was used up (compare-and-swap).
public struct LedgerJobberTokenStore: JobberTokenStore {
    public let ledger: Ledger
    public let accountID: String?

    public init(ledger: Ledger, accountID: String? = nil) {
        self.ledger = ledger
        self.accountID = accountID
    }

    public func load() async throws -> JobberTokens? {
        guard let connection = try ledger.jobberConnection(accountID: accountID), connection.disconnectedAt == nil else { return nil }
        return Self.tokens(connection)
    }

    public func claimRefresh(of stale: JobberTokens, lease: TimeInterval) async throws -> Jobber.JobberRefreshClaim {
        switch try ledger.claimJobberRefresh(accountID: stale.accountID, refreshToken: stale.refreshToken, lease: lease) {
        case .claimed: return .claimed
        case .replaced(let connection): return .replaced(Self.tokens(connection))
        case .busy: return .busy
        case .notConnected: return .notConnected
        }
    }

    public func storeRefreshed(_ fresh: JobberTokens, replacing stale: JobberTokens) async throws -> JobberTokens? {
        try ledger.storeRefreshedJobberTokens(
            accountID: stale.accountID, replacing: stale.refreshToken, accessToken: fresh.accessToken, refreshToken: fresh.refreshToken,
            accessExpiresAt: fresh.expiresAt, actor: "jobber"
        ).map(Self.tokens)
    }

    public func releaseRefresh(of stale: JobberTokens) async throws {
        try ledger.releaseJobberRefresh(accountID: stale.accountID, refreshToken: stale.refreshToken)
    }

    public func markDisconnected(_ tokens: JobberTokens) async throws {
        try ledger.markJobberDisconnected(accountID: tokens.accountID, refusedAccessToken: tokens.accessToken, actor: "jobber")
    }

    static func tokens(_ connection: JobberConnection) -> JobberTokens {
        JobberTokens(
            accountID: connection.accountID, accessToken: connection.accessToken, refreshToken: connection.refreshToken,
            expiresAt: connection.accessExpiresAt)
    }
}

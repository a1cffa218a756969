import Foundation
import Jobber
import Ledger
import PosPlusCore

/// Jobber tokens kept in the ledger database (mode 0600). A save commits before it returns,
/// so a rotated refresh token is never only in memory.
public struct LedgerJobberTokenStore: JobberTokenStore {
    public let ledger: Ledger
    public let accountID: String?

    public init(ledger: Ledger, accountID: String? = nil) {
        self.ledger = ledger
        self.accountID = accountID
    }

    public func load() async throws -> JobberTokens? {
        guard let connection = try ledger.jobberConnection(accountID: accountID), connection.disconnectedAt == nil else { return nil }
        return JobberTokens(
            accountID: connection.accountID, accessToken: connection.accessToken, refreshToken: connection.refreshToken,
            expiresAt: connection.accessExpiresAt)
    }

    public func save(_ tokens: JobberTokens) async throws {
        let existing = try ledger.jobberConnection(accountID: tokens.accountID)
        try ledger.saveJobberConnection(
            JobberConnection(
                accountID: tokens.accountID, accountName: existing?.accountName, accessToken: tokens.accessToken,
                refreshToken: tokens.refreshToken, accessExpiresAt: tokens.expiresAt, connectedAt: existing?.connectedAt ?? Date(),
                refreshedAt: Date()),
            actor: "jobber")
    }
}

import Foundation
import HTTPClient
import Jobber
import JobberSimulator
import Ledger
import Logging
import PosPlusCore

extension SimulatedJobber {
    /// What `posplus jobber connect` leaves behind in `ledger`: tokens from the real OAuth
    /// exchange with the simulator at `baseURL` (authorize → code → token), saved as the
    /// connection every process that opens the ledger then shares.
    public static func signIn(
        _ ledger: Ledger, at baseURL: String, simulator: JobberSimulator, accountName: String = "Maple & Pine Home Services",
        actor: String = "test"
    ) async throws {
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "test.jobber"))
        let redirect = "http://127.0.0.1:9/callback"
        let code = try await authorize(baseURL, clientID: simulator.clientID, redirect: redirect, http: http)
        let tokens = try await JobberOAuthClient(
            tokenURL: baseURL + "/api/oauth/token", clientID: simulator.clientID, clientSecret: Secret(simulator.clientSecret), http: http
        ).exchange(code: code, redirectURI: redirect, accountID: Seed.IDs.account.value)
        try ledger.saveJobberConnection(
            JobberConnection(
                accountID: tokens.accountID, accountName: accountName, accessToken: tokens.accessToken,
                refreshToken: tokens.refreshToken, accessExpiresAt: tokens.expiresAt, connectedAt: Date()),
            actor: actor)
    }
}

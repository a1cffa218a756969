import Foundation
import HTTPClient
import HTTPServing
import Jobber
import JobberSimulator
import Ledger
import Logging
import PosPlusCore
import Testing

/// The Jobber simulator running in the test process, with a CLI ledger already connected to
/// it through the real OAuth exchange — what `posplus jobber connect` would have left behind.
struct ConnectedJobber {
    let simulator: JobberSimulator
    let server: RunningHTTPServer

    /// The variables that point the CLI at this simulator.
    var environment: [String: String] {
        [
            "POSPLUS_JOBBER_ENDPOINT": server.baseURL + "/api/graphql", "POSPLUS_JOBBER_TOKEN_URL": server.baseURL + "/api/oauth/token",
            "POSPLUS_JOBBER_CLIENT_ID": simulator.clientID, "POSPLUS_JOBBER_CLIENT_SECRET": simulator.clientSecret,
        ]
    }

    static func start(connecting ledger: Ledger) async throws -> ConnectedJobber {
        let simulator = try JobberSimulator()
        let server = try await simulator.start()
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        let redirect = "http://127.0.0.1:9/callback"
        let approval = try await http.send(
            HTTPRequest(
                .get, "\(server.baseURL)/api/oauth/authorize?response_type=code&client_id=\(simulator.clientID)&redirect_uri=\(redirect)"))
        let code = try #require(URLComponents(string: approval.headers["location"] ?? "")?.queryItems?.first { $0.name == "code" }?.value)
        let tokens = try await JobberOAuthClient(
            tokenURL: server.baseURL + "/api/oauth/token", clientID: simulator.clientID, clientSecret: Secret(simulator.clientSecret),
            http: http
        ).exchange(code: code, redirectURI: redirect, accountID: Seed.IDs.account.value)
        try ledger.saveJobberConnection(
            JobberConnection(
                accountID: tokens.accountID, accountName: "Maple & Pine Home Services", accessToken: tokens.accessToken,
                refreshToken: tokens.refreshToken, accessExpiresAt: tokens.expiresAt, connectedAt: Date()),
            actor: "test")
        return ConnectedJobber(simulator: simulator, server: server)
    }

    func stop() async { await server.stop() }
}

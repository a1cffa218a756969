import Foundation
import HTTPClient
import HTTPServing
import Jobber
import JobberSimulator
import Logging
import PosPlusCore

/// The Jobber simulator on a loopback port, and posplus's real clients signed in to it through
/// the real OAuth flow (authorize → code → token exchange). Time on both sides follows one
/// ``RecordingClock``: a client's throttling wait refills the simulator's bucket, and moving
/// the clock ages the tokens, so expiry and throttling are tested without real waiting.
public struct SimulatedJobber: Sendable {
    public static let epoch = Date(timeIntervalSince1970: 1_795_000_000)

    public let simulator: JobberSimulator
    public let server: RunningHTTPServer
    public let clock: RecordingClock
    public let store: MemoryTokenStore
    public let oauth: JobberOAuthClient
    public let tokens: JobberTokenManager
    public let graphQL: JobberGraphQLClient<RecordingClock>

    public var baseURL: String { server.baseURL }
    public var invoices: JobberInvoices<RecordingClock> { JobberInvoices(client: graphQL, currency: .usd) }

    public static func start(configure: (inout JobberSimulator.Options) -> Void = { _ in }) async throws -> SimulatedJobber {
        let clock = RecordingClock()
        let now = Self.now(following: clock)
        var options = JobberSimulator.Options()
        options.now = now
        configure(&options)
        let simulator = try JobberSimulator(options: options, logger: Logger(label: "test.sim.jobber"))
        let server = try await simulator.start()
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "test.jobber"))
        let oauth = JobberOAuthClient(
            tokenURL: server.baseURL + "/api/oauth/token", clientID: simulator.clientID, clientSecret: Secret(simulator.clientSecret),
            http: http)
        let redirect = "http://127.0.0.1:9/callback"
        let code = try await authorize(server.baseURL, clientID: simulator.clientID, redirect: redirect, http: http)
        let tokens = try await oauth.exchange(code: code, redirectURI: redirect, accountID: Seed.IDs.account.value)
        let store = MemoryTokenStore(tokens)
        let manager = JobberTokenManager(store: store, now: now) { (old: JobberTokens) async throws(JobberError) -> JobberTokens in
            try await oauth.refresh(old)
        }
        let graphQL = JobberGraphQLClient(
            endpoint: server.baseURL + "/api/graphql", apiVersion: "2025-04-16", tokens: manager,
            http: HTTPClient(clock: clock, logger: Logger(label: "test.jobber")), clock: clock, logger: Logger(label: "test.jobber"))
        return SimulatedJobber(
            simulator: simulator, server: server, clock: clock, store: store, oauth: oauth, tokens: manager, graphQL: graphQL)
    }

    /// The browser's part of the OAuth flow: the simulator approves and redirects with a code.
    public static func authorize(_ base: String, clientID: String, redirect: String, http: HTTPClient<ContinuousClock>) async throws
        -> String
    {
        let url =
            "\(base)/api/oauth/authorize?response_type=code&client_id=\(clientID)&redirect_uri=\(redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&state=xyz"
        let response = try await http.send(HTTPRequest(.get, url))
        guard response.status == 302, let location = response.headers["location"],
            let code = URLComponents(string: location)?.queryItems?.first(where: { $0.name == "code" })?.value
        else { throw SimulatorSetupError.noCode(response.status) }
        return code
    }

    public enum SimulatorSetupError: Error { case noCode(Int) }

    /// Another posplus client (its own token manager) sharing this one's stored tokens.
    public func secondClient() -> JobberGraphQLClient<RecordingClock> {
        client(store: store).graphQL
    }

    /// A posplus client of its own (token manager and GraphQL client, as one process has) that
    /// keeps its tokens in `store`: two of them on one ledger file are two processes.
    public func client(store: any JobberTokenStore) -> (tokens: JobberTokenManager, graphQL: JobberGraphQLClient<RecordingClock>) {
        let oauth = self.oauth
        let manager = JobberTokenManager(store: store, now: Self.now(following: clock)) {
            (old: JobberTokens) async throws(JobberError) -> JobberTokens in
            try await oauth.refresh(old)
        }
        let graphQL = JobberGraphQLClient(
            endpoint: baseURL + "/api/graphql", apiVersion: "2025-04-16", tokens: manager,
            http: HTTPClient(clock: clock, logger: Logger(label: "test.jobber")), clock: clock, logger: Logger(label: "test.jobber"))
        return (manager, graphQL)
    }

    /// Signs in again through the OAuth flow, as `posplus jobber connect` does after a
    /// disconnect: a new pair for the same account.
    public func connectAgain() async throws -> JobberTokens {
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "test.jobber"))
        let redirect = "http://127.0.0.1:9/callback"
        let code = try await Self.authorize(baseURL, clientID: simulator.clientID, redirect: redirect, http: http)
        return try await oauth.exchange(code: code, redirectURI: redirect, accountID: Seed.IDs.account.value)
    }

    /// The simulator's time: the epoch plus how far `clock` has moved.
    static func now(following clock: RecordingClock) -> @Sendable () -> Date {
        {
            let elapsed = clock.elapsed.components
            return epoch.addingTimeInterval(TimeInterval(elapsed.seconds) + TimeInterval(elapsed.attoseconds) / 1e18)
        }
    }

    public func stop() async { await server.stop() }
}

/// Tokens kept in memory, with every refreshed pair recorded (the ledger-backed store has its own tests).
public typealias MemoryTokenStore = MemoryJobberTokenStore

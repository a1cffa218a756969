import Foundation
import HTTPClient
import Jobber
import JobberSimulator
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// Jobber's tokens as shared state of the ledger, with real processes: `posplus-sim jobber`
/// (which rotates refresh tokens and refuses a used one) and several `posplus` commands on one
/// ledger file at once.
@Suite("posplus processes sharing Jobber tokens")
struct JobberTokenProcessesTests {
    struct Setup {
        let simulator: Process
        let baseURL: String
        let cli: CLIRunner
        let environment: [String: String]
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))

        /// The simulator, and a ledger holding a pair signed in through its OAuth flow.
        static func start() async throws -> Setup {
            let (simulator, baseURL) = try JobberCLITests.startSimulator()
            let cli = try CLIRunner()
            let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
            let redirect = "http://127.0.0.1:9/callback"
            let approval = try await http.send(
                HTTPRequest(
                    .get,
                    "\(baseURL)/api/oauth/authorize?response_type=code&client_id=\(JobberCLITests.clientID)&redirect_uri=\(redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                ))
            let code = try #require(
                approval.headers["location"].flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "code" }?.value })
            let oauth = JobberOAuthClient(
                tokenURL: baseURL + "/api/oauth/token", clientID: JobberCLITests.clientID,
                clientSecret: Secret(JobberCLITests.clientSecret),
                http: http)
            let tokens = try await oauth.exchange(code: code, redirectURI: redirect, accountID: Seed.IDs.account.value)
            try Ledger.open(at: cli.ledgerPath, key: .forTests).saveJobberConnection(
                JobberConnection(
                    accountID: tokens.accountID, accountName: "Maple & Pine Home Services", accessToken: tokens.accessToken,
                    refreshToken: tokens.refreshToken, accessExpiresAt: tokens.expiresAt, connectedAt: Date()),
                actor: "test")
            let environment = [
                "POSPLUS_LEDGER_PATH": cli.ledgerPath, "POSPLUS_JOBBER_ENDPOINT": baseURL + "/api/graphql",
                "POSPLUS_JOBBER_TOKEN_URL": baseURL + "/api/oauth/token", "POSPLUS_JOBBER_CLIENT_ID": JobberCLITests.clientID,
                "POSPLUS_JOBBER_CLIENT_SECRET": JobberCLITests.clientSecret,
            ]
            return Setup(simulator: simulator, baseURL: baseURL, cli: cli, environment: environment)
        }

        func admin(_ path: String) async throws -> JSONValue {
            let request =
                path == "stats" ? HTTPRequest(.get, "\(baseURL)/_admin/stats") : HTTPRequest(.post, "\(baseURL)/_admin/\(path)", body: [])
            return try JSONValue.parse(try await http.send(request).body)
        }

        func stop() {
            simulator.terminate()
            simulator.waitUntilExit()
            try? FileManager.default.removeItem(at: cli.home)
        }
    }

    @Test func commandsRefreshingAtOnceRefreshOnceAndAllSucceed() async throws {
        let setup = try await Setup.start()
        defer { setup.stop() }
        for round in 1...3 {
            _ = try await setup.admin("tokens/expire")  // every command now gets 401 and wants to refresh
            let cli = setup.cli
            let environment = setup.environment
            let runs = try await withThrowingTaskGroup(of: CLIRunner.Result.self) { group in
                for number in ["1042", "1043", "1042"] {
                    group.addTask { try cli.run(["invoice", "show", number], environment: environment) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for run in runs { #expect(run.status == 0, "round \(round): \(run.stderr)") }
            #expect(try await setup.admin("stats")["tokenRefreshes"]?.int == round)  // one refresh per expiry
        }
        // The ledger holds the live pair: one more command works without refreshing.
        #expect(try setup.cli.run(["jobber", "status"], environment: setup.environment).status == 0)
        #expect(try await setup.admin("stats")["tokenRefreshes"]?.int == 3)
    }

    @Test func statusShowsTheWriteBacksWaitingForReconnect() async throws {
        let setup = try await Setup.start()
        defer { setup.stop() }
        let ledger = try Ledger.open(at: setup.cli.ledgerPath, key: .forTests)
        try ledger.enqueue(NewOutboxJob(kind: "jobber.writeBack", dedupeKey: "jobber.writeBack-P1", payload: "{}"))
        try ledger.enqueue(NewOutboxJob(kind: "jobber.writeBack", dedupeKey: "jobber.writeBack-P2", payload: "{}"))
        let connected = try setup.cli.run(["jobber", "status"], environment: setup.environment)
        #expect(connected.stdout.contains("2 write-backs queued for Jobber."), "\(connected.stdout)")
        try ledger.disconnectJobberAccount(Seed.IDs.account.value, actor: "jobber webhook")
        let status = try setup.cli.run(["jobber", "status"], environment: setup.environment)
        #expect(status.status == 1)
        #expect(status.stdout.contains("2 write-backs waiting for reconnect; run `posplus jobber connect`."), "\(status.stdout)")
    }
}

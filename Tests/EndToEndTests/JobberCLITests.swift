import Foundation
import HTTPClient
import JobberSimulator
import Ledger
import Logging
import Terminal
import TestSupport
import Testing

/// `posplus jobber connect | status | disconnect` and `posplus invoice show` as real processes,
/// against `posplus-sim jobber`, also a real process (OAuth with its approval page, GraphQL).
@Suite("posplus jobber and invoice commands")
struct JobberCLITests {
    static let clientID = "e2e-client"
    static let clientSecret = "e2e-secret-not-for-logs"

    /// `posplus-sim jobber` on a free port; returns the process and its base URL.
    static func startSimulator() throws -> (Process, String) {
        let process = Process()
        process.executableURL = CLIRunner.binary.deletingLastPathComponent().appendingPathComponent("posplus-sim")
        process.arguments = ["jobber", "--port", "0", "--client-id", clientID, "--client-secret", clientSecret]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var lines = LineReader(handle: output.fileHandleForReading)
        let url = String((lines.next() ?? "").dropFirst("jobber ".count))
        #expect(lines.next() == "client_id \(clientID)")
        #expect(lines.next() == "ready")
        return (process, url)
    }

    @Test func connectStoresTokensThenInvoicesCanBeRead() async throws {
        let (simulator, baseURL) = try Self.startSimulator()
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        let cli = try CLIRunner()
        let probe = try TCPListener()
        let redirectPort = probe.port
        probe.close()
        let environment = [
            "POSPLUS_LEDGER_PATH": cli.ledgerPath, "POSPLUS_JOBBER_ENDPOINT": baseURL + "/api/graphql",
            "POSPLUS_JOBBER_TOKEN_URL": baseURL + "/api/oauth/token",
            "POSPLUS_JOBBER_AUTHORIZE_URL": baseURL + "/api/oauth/authorize",
            "POSPLUS_JOBBER_CLIENT_ID": Self.clientID, "POSPLUS_JOBBER_CLIENT_SECRET": Self.clientSecret,
            "POSPLUS_JOBBER_REDIRECT_PORT": String(redirectPort),
        ]
        let connect = Process()
        connect.executableURL = CLIRunner.binary
        connect.arguments = ["jobber", "connect", "--timeout-s", "30"]
        connect.environment = ["HOME": cli.home.path, LedgerKey.environmentName: LedgerKey.forTests.base64].merging(environment) { $1 }
        let output = Pipe()
        connect.standardOutput = output
        try connect.run()
        var lines = LineReader(handle: output.fileHandleForReading)
        var authorize: URLComponents?
        while authorize == nil, let line = lines.next() {
            if line.hasPrefix("  http") { authorize = URLComponents(string: line.trimmingCharacters(in: .whitespaces)) }
        }
        let items = try #require(authorize?.queryItems)
        let state = try #require(items.first { $0.name == "state" }?.value)
        let redirect = try #require(items.first { $0.name == "redirect_uri" }?.value)
        #expect(items.first { $0.name == "client_id" }?.value == Self.clientID)
        #expect(state.count == 32)

        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        let forged = try await http.send(HTTPRequest(.get, redirect + "?code=evil&state=wrong"))
        #expect(forged.status == 400)  // a redirect posplus did not start is refused…
        // …and the real one still completes: Jobber's page approves and sends the browser back.
        let approval = try await http.send(HTTPRequest(.get, try #require(authorize?.url?.absoluteString)))
        #expect(approval.status == 302)
        let back = try #require(approval.headers["location"])
        #expect(back.hasPrefix(redirect) && back.contains("state=" + state))
        #expect(try await http.send(HTTPRequest(.get, back)).status == 200)
        var rest = ""
        while let line = lines.next() { rest += line + "\n" }
        connect.waitUntilExit()
        #expect(connect.terminationStatus == 0)
        #expect(rest.contains("Connected to Maple & Pine Home Services."))

        let status = try cli.run(["jobber", "status"], environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Account: Maple & Pine Home Services (\(Seed.IDs.account.value))"))
        let invoice = try cli.run(["invoice", "show", "1043"], environment: environment)
        #expect(invoice.stdout.contains("Invoice #1043 — past due"))
        #expect(invoice.stdout.contains("total $1,234.56, balance $1,234.56"))
        #expect(invoice.stdout.contains("client Ada Lovelace"))
        let json = try cli.run(["invoice", "show", "1043", "--json"], environment: environment)
        #expect(json.stdout.contains(#""balance":{"currency":"USD","minorUnits":123456,"text":"$1,234.56"}"#))
        let stored = try #require(try Ledger.open(at: cli.ledgerPath, key: .forTests).jobberConnection())
        for output in [status.stdout, status.stderr, invoice.stdout, rest] {
            #expect(!output.contains(stored.accessToken.expose()) && !output.contains(stored.refreshToken.expose()))
            #expect(!output.contains(Self.clientSecret))
        }
        let config = try cli.run(["config", "show"], environment: environment)
        #expect(config.stdout.split(separator: "\n").contains { $0.hasPrefix("jobber.client_secret ") && $0.contains("(set, hidden)") })

        #expect(try cli.run(["jobber", "disconnect"], environment: environment).status == 0)
        #expect(try cli.run(["jobber", "status"], environment: environment).status == 1)
    }

    @Test func withoutAConnectionTheCommandsSaySo() throws {
        let cli = try CLIRunner()
        let result = try cli.run(["invoice", "show", "1042"], environment: ["POSPLUS_LEDGER_PATH": cli.ledgerPath])
        #expect(result.status != 0)
        #expect(result.stderr.contains("posplus jobber connect"))
    }
}

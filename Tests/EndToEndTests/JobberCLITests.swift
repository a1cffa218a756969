import Foundation
import HTTPClient
import Logging
import Terminal
import TestSupport
import Testing

/// `posplus jobber connect | status | disconnect` and `posplus invoice show` as real processes,
/// against a scripted stand-in for Jobber's OAuth and GraphQL endpoints on 127.0.0.1.
@Suite("posplus jobber and invoice commands")
struct JobberCLITests {
    static let accessToken = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"  // exp 2100-01-01

    static func fakeJobber(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Reply {
        if request.target.hasPrefix("/oauth/token") {
            guard request.text.contains("code=the-code"), request.text.contains("client_secret=s3cret") else {
                return .respond(status: 400)
            }
            return .respond(status: 200, body: Array(#"{"access_token":"\#(accessToken)","refresh_token":"rt-1"}"#.utf8))
        }
        guard request.headers["authorization"] == "Bearer \(accessToken)" else { return .respond(status: 401) }
        if request.text.contains("query Account") {
            return .respond(status: 200, body: Array(#"{"data":{"account":{"id":"QWNjb3VudC8x","name":"Acme Plumbing"}}}"#.utf8))
        }
        if request.text.contains("InvoiceByNumber") {
            return .respond(status: 200, body: Array(#"{"data":{"invoices":{"nodes":[\#(JobberFixtures.invoice1043)]}}}"#.utf8))
        }
        return .respond(status: 200, body: Array(#"{"errors":[{"message":"unexpected"}]}"#.utf8))
    }

    @Test func connectStoresTokensThenInvoicesCanBeRead() async throws {
        let server = try LocalHTTPServer(handler: Self.fakeJobber)
        defer { server.stop() }
        let cli = try CLIRunner()
        let probe = try TCPListener()
        let redirectPort = probe.port
        probe.close()
        let environment = [
            "POSPLUS_LEDGER_PATH": cli.ledgerPath, "POSPLUS_JOBBER_ENDPOINT": server.baseURL + "/api/graphql",
            "POSPLUS_JOBBER_TOKEN_URL": server.baseURL + "/oauth/token",
            "POSPLUS_JOBBER_AUTHORIZE_URL": server.baseURL + "/oauth/authorize",
            "POSPLUS_JOBBER_CLIENT_ID": "app", "POSPLUS_JOBBER_CLIENT_SECRET": "s3cret",
            "POSPLUS_JOBBER_REDIRECT_PORT": String(redirectPort),
        ]
        let connect = Process()
        connect.executableURL = CLIRunner.binary
        connect.arguments = ["jobber", "connect", "--timeout-s", "30"]
        connect.environment = ["HOME": cli.home.path].merging(environment) { $1 }
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
        #expect(items.first { $0.name == "client_id" }?.value == "app")
        #expect(state.count == 32)

        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        let forged = try await http.send(HTTPRequest(.get, redirect + "?code=evil&state=wrong"))
        #expect(forged.status == 400)  // a redirect posplus did not start is refused…
        let real = try await http.send(HTTPRequest(.get, redirect + "?code=the-code&state=" + state))
        #expect(real.status == 200)  // …and the real one still completes
        var rest = ""
        while let line = lines.next() { rest += line + "\n" }
        connect.waitUntilExit()
        #expect(connect.terminationStatus == 0)
        #expect(rest.contains("Connected to Acme Plumbing."))

        let status = try cli.run(["jobber", "status"], environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Account: Acme Plumbing (QWNjb3VudC8x)"))
        let invoice = try cli.run(["invoice", "show", "1043"], environment: environment)
        #expect(invoice.stdout.contains("Invoice #1043 — past due"))
        #expect(invoice.stdout.contains("total $1,234.56, balance $1,234.56"))
        #expect(invoice.stdout.contains("client Ada Lovelace"))
        let json = try cli.run(["invoice", "show", "1043", "--json"], environment: environment)
        #expect(json.stdout.contains(#""balance":{"currency":"USD","minorUnits":123456,"text":"$1,234.56"}"#))
        for output in [status.stdout, status.stderr, invoice.stdout, rest] {
            #expect(!output.contains(Self.accessToken) && !output.contains("rt-1") && !output.contains("s3cret"))
        }
        let config = try cli.run(["config", "show"], environment: environment)
        #expect(config.stdout.contains("jobber.client_secret  (set, hidden)"))

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

enum JobberFixtures {
    static let invoice1043 =
        #"{"id":"SW52LzEwNDM=","invoiceNumber":"1043","invoiceStatus":"past_due","amounts":{"total":1234.56,"invoiceBalance":1234.56},"client":{"id":"Q2xpZW50LzE=","name":"Ada Lovelace"}}"#
}

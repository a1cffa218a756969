import Bridge
import Foundation
import GatewaySimulator
import HTTPClient
import HTTPServing
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Server
import TestSupport
import Testing

/// `posplus serve`'s staff API as it runs for real, on 127.0.0.1: the composition root built from a
/// configuration file, a SQLite ledger file (`key: .forTests`) on a clock the test holds, the PAX
/// simulator over TCP as the counter terminal `front-desk`, the Jobber simulator connected
/// through the real OAuth exchange, the Stripe simulator for links, and staff of every role, each
/// with a login and an API token.
struct APIWorld {
    static let people: [(name: String, role: StaffRole)] = [
        ("boss", .owner), ("meg", .manager), ("fred", .frontDesk), ("tess", .technician), ("tom", .technician),
    ]
    static let password = "correct horse"
    /// 2026-12-01 15:00 UTC: "today" in the tests is this day.
    static let epoch = Date(timeIntervalSince1970: 1_796_137_200)

    let folder: URL
    let app: PosPlusApp
    let terminal: PAXSimulator
    let jobber: JobberSimulator
    let jobberServer: RunningHTTPServer
    let stripe: StripeSimulator
    let stripeServer: RunningHTTPServer
    let server: RunningHTTPServer
    let posplus: PosPlusServer
    let clock: SteppingDate
    /// Each person's bearer token (`Authorization: Bearer ppt_…`).
    let tokens: [String: String]
    let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))

    var ledger: Ledger { get throws { try app.ledger() } }

    /// `frontDesk` adds settings to `[terminals.front-desk]`; `extra` adds tables to the configuration;
    /// `jobberOptions` seeds the Jobber simulator (the standard account by default).
    static func start(
        frontDesk: String = "", extra: String = "", jobberOptions: JobberSimulator.Options = .init()
    ) async throws -> APIWorld {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let terminal = PAXSimulator()
        let terminalPort = try terminal.startTCP()
        let jobber = try JobberSimulator(options: jobberOptions)
        let jobberServer = try await jobber.start()
        let stripe = StripeSimulator()
        let stripeServer = try await stripe.start()
        let config = folder.appendingPathComponent("posplus.toml")
        try """
        [jobber]
        endpoint = "\(jobberServer.baseURL)/api/graphql"
        token_url = "\(jobberServer.baseURL)/api/oauth/token"
        client_id = "\(jobber.clientID)"
        client_secret = "\(jobber.clientSecret)"

        [stripe]
        base_url = "\(stripeServer.baseURL)"
        secret_key = "sk_test_api"

        [staff]
        bcrypt_cost = 4

        [terminals.front-desk]
        driver = "pax"
        connection = "tcp"
        host = "127.0.0.1"
        port = \(terminalPort)
        \(frontDesk)

        \(extra)
        """.write(to: config, atomically: true, encoding: .utf8)
        let clock = SteppingDate(epoch)
        let app = try PosPlusApp.load(
            configPath: config.path, ledgerPath: folder.appendingPathComponent("ledger/ledger.sqlite").path,
            families: { currency, logger in ["pax": PAXDriver.factory(currency: currency, logger: logger)] },
            logger: Logger(label: "t"), ledgerKey: .forTests, clock: { clock.date })
        try await SimulatedJobber.signIn(app.ledger(), at: jobberServer.baseURL, simulator: jobber)

        var tokens: [String: String] = [:]
        for person in people {
            _ = try await app.staffDirectory().add(person.name, role: person.role, password: try StaffPassword(password), by: "test")
            tokens[person.name] = try app.apiTokens().create(for: person.name, label: "tests", by: "test").token.text
        }
        let posplus = PosPlusServer(
            jobberInbox: nil, logger: Logger(label: "t"),
            staff: StaffAccess(sessions: try app.staffSessions(), tokens: try app.apiTokens()), app: app)
        let server = try await posplus.start(port: 0)
        return APIWorld(
            folder: folder, app: app, terminal: terminal, jobber: jobber, jobberServer: jobberServer, stripe: stripe,
            stripeServer: stripeServer,
            server: server, posplus: posplus, clock: clock, tokens: tokens)
    }

    func stop() async {
        await server.stop()
        await stripeServer.stop()
        await jobberServer.stop()
        terminal.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: Requests

    func send(
        _ method: HTTPRequest.Method, _ path: String, headers: [(name: String, value: String)] = [], json body: String? = nil
    ) async throws -> HTTPResponse {
        var all = headers
        if body != nil { all.append(("Content-Type", "application/json")) }
        return try await http.send(HTTPRequest(method, server.baseURL + path, headers: all, body: body.map { Array($0.utf8) }))
    }

    /// A request as `name`, with their API token (no CSRF needed), and an idempotency key when given.
    func send(
        as name: String, _ method: HTTPRequest.Method, _ path: String, key: String? = nil, json body: String? = nil
    ) async throws -> HTTPResponse {
        var headers = [("Authorization", "Bearer \(tokens[name] ?? "")")]
        if let key { headers.append(("Idempotency-Key", key)) }
        return try await send(method, path, headers: headers, json: body)
    }

    /// Logs `name` in; the cookie to send back and the session's CSRF token.
    func login(_ name: String) async throws -> (cookie: String, csrf: String) {
        let response = try await send(.post, "/api/session", json: #"{"name":"\#(name)","password":"\#(Self.password)"}"#)
        let cookie = String((response.headers["set-cookie"] ?? "").split(separator: ";").first ?? "")
        let csrf = try Self.object(response)["csrfToken"] as? String ?? ""
        return (cookie, csrf)
    }

    /// A route's method as the test client spells it.
    static func method(_ route: APIRoute) -> HTTPRequest.Method { HTTPRequest.Method(rawValue: route.method.rawValue) ?? .get }

    // MARK: Reading answers

    static func object(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], "\(response.text)")
    }

    static func error(_ response: HTTPResponse) -> (code: String, message: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let error = object["error"] as? [String: Any], let code = error["code"] as? String, let message = error["message"] as? String
        else { return nil }
        return (code, message)
    }

    /// The `payment` object of a money answer.
    static func payment(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try object(response)["payment"] as? [String: Any], "\(response.text)")
    }

    static func minor(_ amount: Any?) -> Int64? { ((amount as? [String: Any])?["minorUnits"] as? NSNumber)?.int64Value }
}

import Foundation
import HTTPClient
import Jobber
import Ledger
import Logging
import PosPlusCore
import Terminal

/// `posplus jobber connect`: the OAuth authorization-code flow with a loopback redirect.
///
/// Staff open the printed URL and sign in to Jobber themselves — with two-factor left on;
/// posplus never sees their password. Jobber redirects to 127.0.0.1 with a code; the random
/// `state` must come back unchanged (a forged redirect is refused); the code is exchanged,
/// the account read, and the tokens stored.
public struct JobberConnectFlow: Sendable {
    public let settings: JobberSettings
    public let ledger: Ledger
    public let logger: Logger

    public init(settings: JobberSettings, ledger: Ledger, logger: Logger) {
        self.settings = settings
        self.ledger = ledger
        self.logger = logger
    }

    public var redirectURI: String { "http://127.0.0.1:\(settings.redirectPort)/callback" }

    /// The URL to open, for a given state.
    public func authorizeURL(state: String) throws(JobberError) -> String {
        guard let clientID = settings.clientID else { throw .notConnected("jobber.client_id is not configured") }
        var components = URLComponents(string: settings.authorizeURL)
        components?.queryItems = [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI), URLQueryItem(name: "state", value: state),
        ]
        guard let url = components?.string else { throw .notConnected("jobber.authorize_url is not a URL") }
        return url
    }

    /// Runs the flow: `show` receives the URL to open; returns the connected account's name.
    public func run(timeout: Duration, show: @Sendable (String) -> Void) async throws -> String {
        var random = SystemRandomNumberGenerator()
        let state = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &random)) }.joined()
        let listener = try TCPListener(port: settings.redirectPort)
        defer { listener.close() }
        show(try authorizeURL(state: state))
        let code = try await Self.awaitRedirect(on: listener, state: state, deadline: .now + timeout)

        let http = HTTPClient(clock: ContinuousClock(), logger: logger)
        let oauth = try JobberSession.oauth(settings, http: http)
        var tokens = try await oauth.exchange(code: code, redirectURI: redirectURI, accountID: "pending")
        // Ask who we are: account.id is what webhooks carry.
        let single = MemoryJobberTokenStore(tokens)
        let manager = JobberTokenManager(store: single) { (old: JobberTokens) async throws(JobberError) -> JobberTokens in
            try await oauth.refresh(old)
        }
        let client = JobberGraphQLClient(
            endpoint: settings.endpoint, apiVersion: settings.apiVersion, tokens: manager, http: http, clock: ContinuousClock(),
            logger: logger)
        let account = try await client.execute("query Account { account { id name } }")["account"]
        guard let id = account?["id"]?.string else { throw JobberError.malformedResponse("account.id is missing") }
        let name = account?["name"]?.string ?? id
        tokens = try await manager.accessToken()
        try ledger.saveJobberConnection(
            JobberConnection(
                accountID: id, accountName: name, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken,
                accessExpiresAt: tokens.expiresAt, connectedAt: Date()),
            actor: "jobber connect")
        return name
    }

    /// Waits for the browser's redirect; answers it with a page staff can read.
    static func awaitRedirect(on listener: TCPListener, state: String, deadline: ContinuousClock.Instant) async throws -> String {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            Thread.detachNewThread {
                while ContinuousClock.now < deadline {
                    guard let connection = try? listener.accept(deadline: min(deadline, .now + .milliseconds(200))) else { continue }
                    defer { connection.close() }
                    guard let bytes = try? connection.read(maximum: 8192, deadline: .now + .seconds(5)) else { continue }
                    let line = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
                    let target = line.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                    let items = URLComponents(string: target)?.queryItems ?? []
                    let value = { (name: String) in items.first { $0.name == name }?.value }
                    func reply(_ status: String, _ message: String) {
                        let html = "<html><body><p>\(message)</p></body></html>"
                        let head =
                            "HTTP/1.1 \(status)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(html.utf8.count)\r\nConnection: close\r\n\r\n"
                        try? connection.write(Array((head + html).utf8), deadline: .now + .seconds(2))
                    }
                    guard target.hasPrefix("/callback") else {
                        reply("404 Not Found", "Not here.")
                        continue
                    }
                    guard value("state") == state else {
                        reply("400 Bad Request", "This sign-in link is not the one posplus started; run posplus jobber connect again.")
                        continue  // a forged or stale redirect: keep waiting for the real one
                    }
                    guard let code = value("code"), !code.isEmpty else {
                        reply("400 Bad Request", "Jobber did not grant access.")
                        continuation.resume(throwing: JobberError.notConnected("access was denied in Jobber"))
                        return
                    }
                    reply("200 OK", "posplus is connected to Jobber. You can close this tab.")
                    continuation.resume(returning: code)
                    return
                }
                continuation.resume(throwing: JobberError.notConnected("no sign-in arrived before the time ran out"))
            }
        }
    }
}

import Foundation
import HTTPClient
import PosPlusCore

/// Where Jobber tokens are kept between runs (the ledger in the app).
public protocol JobberTokenStore: Sendable {
    func load() async throws -> JobberTokens?
    /// Must be durable when it returns: a rotated refresh token that is lost cannot be replaced.
    func save(_ tokens: JobberTokens) async throws
}

/// An access token with its expiry, and the refresh token that replaces it.
public struct JobberTokens: Equatable, Sendable {
    public var accountID: String
    public var accessToken: Secret<String>
    public var refreshToken: Secret<String>
    public var expiresAt: Date

    public init(accountID: String, accessToken: Secret<String>, refreshToken: Secret<String>, expiresAt: Date) {
        self.accountID = accountID
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
    }

    /// The `exp` claim of a JWT access token (Jobber's tokens are JWTs; their lifetime is
    /// read from the token, not assumed).
    public static func expiry(ofJWT token: String) -> Date? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
        guard let data = Data(base64Encoded: payload), let json = try? JSONValue.parse(data),
            let exp = json["exp"]?.numberText, let seconds = Double(exp)
        else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}

/// Jobber's OAuth token endpoint: code exchange and refresh (form-encoded POST).
public struct JobberOAuthClient: Sendable {
    public var tokenURL: String
    public var clientID: String
    public var clientSecret: Secret<String>
    let http: HTTPClient<ContinuousClock>

    public init(tokenURL: String, clientID: String, clientSecret: Secret<String>, http: HTTPClient<ContinuousClock>) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.http = http
    }

    public func exchange(code: String, redirectURI: String, accountID: String) async throws(JobberError) -> JobberTokens {
        try await tokens(["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI], accountID: accountID)
    }

    public func refresh(_ tokens: JobberTokens) async throws(JobberError) -> JobberTokens {
        try await self.tokens(["grant_type": "refresh_token", "refresh_token": tokens.refreshToken.expose()], accountID: tokens.accountID)
    }

    private func tokens(_ fields: [String: String], accountID: String) async throws(JobberError) -> JobberTokens {
        let form = FormEncoding.encode(
            (fields.merging(["client_id": clientID, "client_secret": clientSecret.expose()]) { $1 }).sorted { $0.key < $1.key }
                .map { (key: $0.key, value: $0.value) })
        let request = HTTPRequest(.post, tokenURL, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
        let response: HTTPResponse
        do { response = try await http.send(request) } catch { throw .transport(error) }
        guard response.isSuccess else {
            // 400/401 here means the refresh token is dead (rotated, revoked, app disconnected).
            throw (400..<500).contains(response.status)
                ? .notConnected("Jobber refused the token request (HTTP \(response.status))") : .http(status: response.status)
        }
        let json: JSONValue
        do { json = try JSONValue.parse(response.body) } catch { throw .malformedResponse("the token reply is not JSON") }
        guard let access = json["access_token"]?.string, let refresh = json["refresh_token"]?.string else {
            throw .malformedResponse("the token reply lacks access_token or refresh_token")
        }
        let expiry = JobberTokens.expiry(ofJWT: access) ?? Date().addingTimeInterval(3600)
        return JobberTokens(accountID: accountID, accessToken: Secret(access), refreshToken: Secret(refresh), expiresAt: expiry)
    }
}

/// Hands out a valid access token, refreshing shortly before expiry or after a 401.
///
/// One refresh at a time per account: concurrent callers share the refresh in flight, because
/// with rotation the second refresh would present a token the first already used up. The new
/// tokens are saved before anyone uses them.
public actor JobberTokenManager {
    private let store: any JobberTokenStore
    private let refresher: @Sendable (JobberTokens) async throws(JobberError) -> JobberTokens
    private let now: @Sendable () -> Date
    private let margin: TimeInterval
    private var current: JobberTokens?
    private var refreshing: Task<JobberTokens, any Error>?
    /// How many refreshes really went to Jobber (for tests and `jobber status`).
    public private(set) var refreshCount = 0

    public init(
        store: any JobberTokenStore, margin: TimeInterval = 60, now: @escaping @Sendable () -> Date = Date.init,
        refresher: @escaping @Sendable (JobberTokens) async throws(JobberError) -> JobberTokens
    ) {
        self.store = store
        self.refresher = refresher
        self.now = now
        self.margin = margin
    }

    /// A token good for at least `margin` seconds.
    public func accessToken() async throws(JobberError) -> JobberTokens {
        let tokens = try await loaded()
        if tokens.expiresAt.timeIntervalSince(now()) > margin { return tokens }
        return try await refresh(replacing: tokens.accessToken)
    }

    /// Refreshes because `rejected` was refused (401). If another caller already replaced
    /// it, their new token is returned without a second refresh.
    public func refresh(replacing rejected: Secret<String>) async throws(JobberError) -> JobberTokens {
        let tokens = try await loaded()
        if tokens.accessToken.expose() != rejected.expose() { return tokens }
        if let refreshing {
            // Adopt the result here too: this caller may resume before the one that started
            // the refresh, and must not go on to read the old token as current.
            let fresh = try await Self.value(of: refreshing)
            current = fresh
            return fresh
        }
        let store = self.store
        let refresher = self.refresher
        let task = Task<JobberTokens, any Error> {
            let fresh = try await refresher(tokens)
            try await store.save(fresh)  // durable before use: the old refresh token is now dead
            return fresh
        }
        refreshing = task
        defer { refreshing = nil }
        refreshCount += 1
        let fresh = try await Self.value(of: task)
        current = fresh
        return fresh
    }

    private func loaded() async throws(JobberError) -> JobberTokens {
        if let current { return current }
        let stored: JobberTokens?
        do { stored = try await store.load() } catch { throw .notConnected("cannot read the stored connection: \(error)") }
        guard let stored else { throw .notConnected("no Jobber account is connected") }
        current = stored
        return stored
    }

    private static func value(of task: Task<JobberTokens, any Error>) async throws(JobberError) -> JobberTokens {
        do { return try await task.value } catch let error as JobberError { throw error } catch {
            throw .notConnected("could not save the refreshed tokens: \(error)")
        }
    }
}

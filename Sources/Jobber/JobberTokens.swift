import Foundation
import HTTPClient
import PosPlusCore

/// Where Jobber tokens are kept (the ledger in the app): shared state of every process that
/// uses the account, so it is read for every request and changed only by compare-and-swap.
///
/// Jobber rotates refresh tokens and refuses a used one. A process that cached the pair would
/// go on presenting a refresh token another process already used up; two processes refreshing
/// the same pair would kill one of them. Hence: ``load()`` every time, refresh only after
/// ``claimRefresh(of:lease:)`` says so, and store with ``storeRefreshed(_:replacing:)``.
public protocol JobberTokenStore: Sendable {
    /// The pair as stored now; nil when no account is connected (or it disconnected).
    func load() async throws -> JobberTokens?
    /// Claims, across processes, the right to refresh `stale` for `lease` seconds.
    func claimRefresh(of stale: JobberTokens, lease: TimeInterval) async throws -> JobberRefreshClaim
    /// Stores `fresh` only if the stored refresh token is still `stale`'s, and ends the claim.
    /// Must be durable when it returns: a rotated refresh token that is lost cannot be replaced.
    /// - Returns: the pair stored now (`fresh`, or the one that stands instead); nil when the
    ///   account is no longer connected.
    func storeRefreshed(_ fresh: JobberTokens, replacing stale: JobberTokens) async throws -> JobberTokens?
    /// Ends a claim whose refresh failed, so nobody waits for it to run out.
    func releaseRefresh(of stale: JobberTokens) async throws
    /// Jobber refused `tokens` because the account disconnected the app: forget them (unless
    /// another pair was stored since), so that no process calls Jobber again until a reconnect,
    /// even if the APP_DISCONNECT webhook never arrives.
    func markDisconnected(_ tokens: JobberTokens) async throws
}

/// What a store says when a process asks to refresh a pair.
public enum JobberRefreshClaim: Equatable, Sendable {
    /// Refresh now; nobody else will until the claim ends or runs out.
    case claimed
    /// The stored pair is no longer the stale one (another process refreshed it, or staff
    /// reconnected): use this pair, no refresh needed.
    case replaced(JobberTokens)
    /// Another process is refreshing this very pair: read again shortly.
    case busy
    /// No account is connected (any more).
    case notConnected
}

/// Tokens in this process's memory only: the moment between a code exchange and saving them,
/// and tests. Keeps every pair it stored, in order.
public final class MemoryJobberTokenStore: JobberTokenStore, @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: JobberTokens?
    private var claimedRefreshToken: String?
    private var saves: [JobberTokens] = []

    public init(_ tokens: JobberTokens?) { self.tokens = tokens }

    public func load() async throws -> JobberTokens? { lock.withLock { tokens } }

    public func claimRefresh(of stale: JobberTokens, lease: TimeInterval) async throws -> JobberRefreshClaim {
        lock.withLock {
            guard let tokens else { return .notConnected }
            guard tokens.refreshToken == stale.refreshToken else { return .replaced(tokens) }
            if claimedRefreshToken == stale.refreshToken.expose() { return .busy }
            claimedRefreshToken = stale.refreshToken.expose()
            return .claimed
        }
    }

    public func storeRefreshed(_ fresh: JobberTokens, replacing stale: JobberTokens) async throws -> JobberTokens? {
        lock.withLock {
            guard let current = tokens else { return nil }
            guard current.refreshToken == stale.refreshToken else { return current }
            tokens = fresh
            claimedRefreshToken = nil
            saves.append(fresh)
            return fresh
        }
    }

    public func releaseRefresh(of stale: JobberTokens) async throws {
        lock.withLock { if claimedRefreshToken == stale.refreshToken.expose() { claimedRefreshToken = nil } }
    }

    public func markDisconnected(_ tokens: JobberTokens) async throws {
        lock.withLock { if self.tokens?.accessToken == tokens.accessToken { self.tokens = nil } }
    }

    /// Replaces the pair as a reconnect (or another process) would, for tests.
    public func replace(with tokens: JobberTokens?) { lock.withLock { self.tokens = tokens } }

    /// Every pair stored by a refresh, in order.
    public var saved: [JobberTokens] { lock.withLock { saves } }
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

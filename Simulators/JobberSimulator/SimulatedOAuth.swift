import Crypto
import Foundation

/// Jobber's OAuth authorization-code grant as the simulator plays it (jobber-api.md §1).
///
/// - Authorizing approves at once (as the account's owner) and redirects with a one-time code.
/// - Access tokens are JWTs whose `exp` says when they die (default 60 minutes).
/// - Refresh tokens rotate: each refresh returns a new one and the old one is refused at once
///   with "The provided refresh token is not valid.".
/// - Disconnecting revokes everything; a revoked access token gets Jobber's disconnect message.
final class SimulatedOAuth: @unchecked Sendable {
    enum Validity: Equatable {
        case valid
        case expired
        case disconnected
    }

    struct Failure: Error, Equatable {
        var status: Int
        var error: String
        var description: String
    }

    let clientID: String
    let clientSecret: String
    var accessTokenLifetime: TimeInterval
    private let accountID: String
    private let now: @Sendable () -> Date
    private let lock = NSLock()
    private var codes: [String: String] = [:]  // code → redirect URI
    private var accessTokens: [String: Date] = [:]  // token → expiry
    private var revoked: Set<String> = []
    private var currentRefreshToken: String?
    private(set) var refreshCount = 0

    init(clientID: String, clientSecret: String, accountID: String, lifetime: TimeInterval, now: @escaping @Sendable () -> Date) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.accountID = accountID
        accessTokenLifetime = lifetime
        self.now = now
    }

    var refreshes: Int { lock.withLock { refreshCount } }

    /// The authorize step: checks the client id and hands out a code for the redirect.
    func authorize(clientID: String?, redirectURI: String?) throws(Failure) -> String {
        guard clientID == self.clientID else { throw Failure(status: 400, error: "invalid_client", description: "Unknown client_id.") }
        guard let redirectURI, !redirectURI.isEmpty else {
            throw Failure(status: 400, error: "invalid_request", description: "redirect_uri is required.")
        }
        let code = Self.randomToken()
        lock.withLock { codes[code] = redirectURI }
        return code
    }

    /// The token endpoint: `authorization_code` or `refresh_token`, form fields as sent.
    func token(form: [String: String]) throws(Failure) -> (accessToken: String, refreshToken: String) {
        guard form["client_id"] == clientID, form["client_secret"] == clientSecret else {
            throw Failure(status: 401, error: "invalid_client", description: "Client authentication failed.")
        }
        lock.lock()
        defer { lock.unlock() }
        switch form["grant_type"] {
        case "authorization_code":
            guard let code = form["code"], let redirect = codes.removeValue(forKey: code) else {
                throw Failure(status: 400, error: "invalid_grant", description: "The authorization code is not valid.")
            }
            guard form["redirect_uri"] == redirect else {
                throw Failure(status: 400, error: "invalid_grant", description: "The redirect_uri does not match.")
            }
            return issue()
        case "refresh_token":
            guard let presented = form["refresh_token"], presented == currentRefreshToken else {
                throw Failure(status: 401, error: "invalid_grant", description: "The provided refresh token is not valid.")
            }
            refreshCount += 1
            return issue()
        default:
            throw Failure(
                status: 400, error: "unsupported_grant_type", description: "grant_type must be authorization_code or refresh_token.")
        }
    }

    /// Whether a bearer token may call the API now.
    func check(_ token: String) -> Validity {
        lock.withLock {
            if revoked.contains(token) { return .disconnected }
            guard let expiry = accessTokens[token], expiry > now() else { return .expired }
            return .valid
        }
    }

    /// Every access token issued so far stops working now (the next call gets 401).
    func expireAccessTokens() {
        lock.withLock {
            let past = now().addingTimeInterval(-1)
            for token in accessTokens.keys { accessTokens[token] = past }
        }
    }

    /// The account disconnected the app: all tokens die, and say why.
    func disconnect() {
        lock.withLock {
            revoked.formUnion(accessTokens.keys)
            accessTokens.removeAll()
            currentRefreshToken = nil
        }
    }

    private func issue() -> (String, String) {
        let issuedAt = now()
        let expiry = issuedAt.addingTimeInterval(accessTokenLifetime)
        let access = jwt(issuedAt: issuedAt, expiry: expiry)
        let refresh = Self.randomToken()
        accessTokens[access] = expiry
        currentRefreshToken = refresh
        return (access, refresh)
    }

    private func jwt(issuedAt: Date, expiry: Date) -> String {
        let header = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let claims =
            #"{"sub":"\#(accountID)","iat":\#(Int(issuedAt.timeIntervalSince1970)),"exp":\#(Int(expiry.timeIntervalSince1970)),"jti":"\#(Self.randomToken())"}"#
        let body = header + "." + Self.base64URL(Data(claims.utf8))
        let signature = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(clientSecret.utf8)))
        return body + "." + Self.base64URL(Data(signature))
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

import Crypto
import Foundation

/// The CSRF token of a session: HMAC-SHA256 of a fixed label under the session's secret.
///
/// A synchronizer token that needs no storage: only whoever holds the session's secret (the
/// server, from the cookie) can compute it, and a page learns it from the login answer or
/// `GET /api/me`, which another site cannot read. Every state-changing request with a cookie
/// session must carry it in `X-CSRF-Token`; it is checked with swift-crypto's constant-time
/// MAC comparison, so the time taken says nothing about how much of a guess was right.
public enum CSRFToken {
    static let label = Data("posplus csrf v1".utf8)

    /// The token for the session whose secret is `secret`.
    public static func token(for secret: SecretToken) -> String {
        Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: label, using: secret.key)))
    }

    /// Whether `presented` is the token of that session.
    public static func isValid(_ presented: String?, for secret: SecretToken) -> Bool {
        guard let presented, presented.utf8.count == SecretToken.encodedLength, let mac = Base64URL.decode(presented) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: label, using: secret.key)
    }
}

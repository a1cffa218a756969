import Bridge
import Foundation
import HTTPTypes

/// What the API needs to know who is asking: sessions, tokens, and how the cookie is sent.
public struct StaffAccess: Sendable {
    public let sessions: StaffSessions
    public let tokens: APITokens
    /// Adds `Secure` to the session cookie: set it when the service is reached over TLS
    /// (directly or through a proxy), so the browser never sends the cookie in the clear.
    public var secureCookies: Bool

    public static let cookieName = "posplus_session"
    public static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    public init(sessions: StaffSessions, tokens: APITokens, secureCookies: Bool = false) {
        self.sessions = sessions
        self.tokens = tokens
        self.secureCookies = secureCookies
    }

    /// `Set-Cookie` for a session: the browser keeps it until `maxAge` seconds from now, sends
    /// it to this site only (SameSite=Strict), and never shows it to scripts (HttpOnly).
    func cookie(_ value: String, maxAge: Int) -> String {
        "\(Self.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }
}

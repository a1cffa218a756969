import Foundation
import PosPlusCore

/// Who is asking, once their session or token was checked: what handlers and the audit log
/// use, read fresh from the ledger for this one request.
public struct StaffIdentity: Equatable, Sendable {
    public enum Credential: Equatable, Sendable {
        /// A browser's session: state changes need its CSRF token.
        case session(id: Int64, secret: SecretToken, expiresAt: Date)
        /// A script's bearer token: no cookie, so no CSRF to guard against.
        case apiToken(id: Int64)
    }

    public var staffID: Int64
    public var name: String
    public var role: StaffRole
    public var credential: Credential

    public init(staffID: Int64, name: String, role: StaffRole, credential: Credential) {
        self.staffID = staffID
        self.name = name
        self.role = role
        self.credential = credential
    }

    /// Throws ``StaffError/forbidden(_:_:)`` unless the role allows `permission`.
    public func require(_ permission: Permission) throws(StaffError) {
        guard role.may(permission) else { throw .forbidden(permission, role) }
    }

    /// The session's CSRF token, for a session; nil for a token.
    public var csrfToken: String? {
        guard case .session(_, let secret, _) = credential else { return nil }
        return CSRFToken.token(for: secret)
    }
}

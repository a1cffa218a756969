import Foundation
import Ledger
import PosPlusCore

/// What a successful login hands back: the cookie's secret (shown to the browser once and
/// never stored), the session's CSRF token, and whom it is for.
public struct StaffLogin: Sendable {
    public var identity: StaffIdentity
    public var secret: SecretToken
    public var expiresAt: Date
    public var csrfToken: String { CSRFToken.token(for: secret) }
}

/// Browser sessions: opened by a login, checked on every request, ended by logout, by
/// disabling the person, by a password reset, or by time (idle and absolute).
///
/// Every check reads the ledger afresh: a logout or a disable in another process holds from
/// the next request on. Time comes from the ledger's injected clock.
public struct StaffSessions: Sendable {
    public let directory: StaffDirectory
    public let policy: SessionPolicy

    public init(directory: StaffDirectory, settings: StaffSettings) {
        self.directory = directory
        self.policy = SessionPolicy(settings: settings)
    }

    private var ledger: Ledger { directory.ledger }

    /// Checks the password and opens a session.
    public func login(name: String, password: String, from address: String?) async throws(StaffError) -> StaffLogin {
        let person = try await directory.verifyLogin(name: name, password: password, from: address)
        let secret = SecretToken.random()
        let expiresAt = policy.expiry(openedAt: ledger.now())
        let standing = try StaffDirectory.ledger {
            try ledger.openSession(
                NewStaffSession(staffID: person.id, secretHash: secret.hash, clientAddress: address, expiresAt: expiresAt))
        }
        let identity = StaffIdentity(
            staffID: person.id, name: person.name, role: person.role,
            credential: .session(id: standing.session.id, secret: secret, expiresAt: standing.session.expiresAt))
        return StaffLogin(identity: identity, secret: secret, expiresAt: standing.session.expiresAt)
    }

    /// The person behind a session cookie's value, or why it no longer works.
    public func authenticate(cookie value: String) throws(StaffError) -> StaffIdentity {
        guard let secret = SecretToken(presented: value),
            let standing = try StaffDirectory.ledger({ try ledger.session(secretHash: secret.hash) })
        else { throw .credentialEnded("This session is not known (it may be from another posplus); log in again.") }
        let now = ledger.now()
        switch policy.standing(of: standing.session, staff: standing.staff, at: now) {
        case .ended(let why):
            throw .credentialEnded(why)
        case .active(let touch):
            if touch { try StaffDirectory.ledger { try ledger.touchSession(id: standing.session.id, at: now) } }
        }
        return StaffIdentity(
            staffID: standing.staff.id, name: standing.staff.name, role: standing.staff.role,
            credential: .session(id: standing.session.id, secret: secret, expiresAt: standing.session.expiresAt))
    }

    /// Ends the session (logout), audited as the person's own act.
    public func logout(_ identity: StaffIdentity) throws(StaffError) {
        guard case .session(let id, _, _) = identity.credential else { return }
        try StaffDirectory.ledger { try ledger.endSession(id: id, actor: identity.name) }
    }
}

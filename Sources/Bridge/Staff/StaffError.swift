import Ledger
import PosPlusCore

/// Why a staff request was refused, with a sentence for the person and a stable code for
/// programs. The server maps ``kind`` to an HTTP status; the CLI prints ``description``.
public enum StaffError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A name that can never be a staff name.
    case invalidName(String)
    /// A new password that does not meet the rules.
    case weakPassword(String)
    /// Wrong password or unknown name: one answer for both, so the answer says nothing about
    /// who exists.
    case loginRefused
    /// The right password for a disabled person (said only after the password was right).
    case disabled(String)
    /// Too many failures; `retryAfter` seconds until the next try is accepted.
    case locked(retryAfter: Int, byAddress: Bool)
    /// No session cookie or token with the request.
    case notLoggedIn
    /// A session or token that no longer works, and why.
    case credentialEnded(String)
    /// The person's role does not allow it.
    case forbidden(Permission, StaffRole)
    /// A state-changing request with a cookie session but without its CSRF token.
    case csrfRejected
    /// A label or other input that is not acceptable, with the sentence saying why.
    case invalidRequest(String)
    /// The ledger refused or failed.
    case ledger(LedgerError)

    /// How the server answers it.
    public enum Kind: Sendable { case badRequest, unauthorized, forbidden, tooManyRequests, notFound, conflict, unavailable }

    public var kind: Kind {
        switch self {
        case .invalidName, .weakPassword, .invalidRequest: .badRequest
        case .loginRefused, .notLoggedIn, .credentialEnded: .unauthorized
        case .disabled, .forbidden, .csrfRejected: .forbidden
        case .locked: .tooManyRequests
        case .ledger(.staffNotFound), .ledger(.apiTokenNotFound): .notFound
        case .ledger(.staffExists), .ledger(.lastOwner): .conflict
        case .ledger(.staffDisabled): .forbidden
        case .ledger: .unavailable
        }
    }

    /// A stable code for programs ("login_refused", "csrf_rejected", …).
    public var code: String {
        switch self {
        case .invalidName: "invalid_name"
        case .weakPassword: "weak_password"
        case .loginRefused: "login_refused"
        case .disabled, .ledger(.staffDisabled): "staff_disabled"
        case .locked: "too_many_attempts"
        case .notLoggedIn: "not_logged_in"
        case .credentialEnded: "session_ended"
        case .forbidden: "forbidden"
        case .csrfRejected: "csrf_rejected"
        case .invalidRequest: "invalid_request"
        case .ledger(.staffNotFound): "staff_not_found"
        case .ledger(.apiTokenNotFound): "token_not_found"
        case .ledger(.staffExists): "staff_exists"
        case .ledger(.lastOwner): "last_owner"
        case .ledger: "ledger_unavailable"
        }
    }

    public var description: String {
        switch self {
        case .invalidName(let sentence), .weakPassword(let sentence), .invalidRequest(let sentence), .credentialEnded(let sentence):
            return sentence
        case .loginRefused:
            return "That name and password do not match a staff login; check both and try again."
        case .disabled(let name):
            return "\(name)'s staff account is disabled; ask an owner."
        case .locked(let seconds, let byAddress):
            let minutes = max(1, (seconds + 59) / 60)
            let wait = minutes == 1 ? "a minute" : "\(minutes) minutes"
            return byAddress
                ? "Too many failed logins from this device; try again in \(wait)."
                : "Too many failed logins for this name; try again in \(wait), or ask an owner to reset the password."
        case .notLoggedIn:
            return "Log in first: this needs a staff session or an API token."
        case .forbidden(let permission, let role):
            return "A \(role) login may not do this (it needs the \(permission) permission); ask a manager or owner."
        case .csrfRejected:
            return "The request did not carry this session's CSRF token (X-CSRF-Token); reload the page and try again."
        case .ledger(let error):
            return error.description
        }
    }
}

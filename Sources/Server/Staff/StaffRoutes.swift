import Bridge
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PosPlusCore

/// `/api/session` (log in, log out) and `/api/me`: the routes every page and script starts with.
struct StaffRoutes: Sendable {
    let access: StaffAccess
    let limits: ServerLimits

    /// A login body is a name and a password; anything larger is not one.
    static let maximumLoginBody = 4 * 1024

    struct LoginBody: Decodable {
        var name: String
        var password: String
    }

    struct Me: Encodable {
        var staff: String
        var role: String
        var permissions: [String]
        var csrfToken: String?
        var expiresAt: Date?
        var via: String

        init(_ identity: StaffIdentity) {
            staff = identity.name
            role = identity.role.rawValue
            permissions = identity.role.permissions.map(\.rawValue).sorted()
            csrfToken = identity.csrfToken
            if case .session(_, _, let expiry) = identity.credential { expiresAt = expiry }
            via = identity.csrfToken == nil ? "token" : "session"
        }
    }

    /// Logging in (open to anyone: no one is logged in yet), logging out, and who am I.
    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.post, "/api/session", .anyone)) { call in try await login(call.request, call.context) },
            APIEndpoint(APIRoute(.delete, "/api/session", .anyStaff)) { call in try logout(call.context) },
            APIEndpoint(APIRoute(.get, "/api/me", .anyStaff)) { call in APIJSON.response(.ok, Me(try call.staff)) },
        ]
    }

    private func login(_ request: Request, _ context: ServerContext) async throws -> Response {
        // JSON only: a form on another site cannot send this content type without the browser
        // asking first (CORS), which this service never allows.
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw APIError(.unsupportedMediaType, code: "json_required", message: "Send the login as JSON: {\"name\": …, \"password\": …}.")
        }
        let body: ByteBuffer
        do {
            body = try await PosPlusServer.collect(request, upTo: Self.maximumLoginBody, within: limits.bodyTimeout, on: context.channel)
        } catch {
            throw APIError(
                .contentTooLarge, code: "body_too_large", message: "A login is a name and a password; this request is too large.")
        }
        guard let login = try? JSONDecoder().decode(LoginBody.self, from: Data(buffer: body)) else {
            throw APIError(.badRequest, code: "invalid_request", message: "Send the login as JSON with a name and a password.")
        }
        let address = context.channel.remoteAddress?.ipAddress
        let session = try await access.sessions.login(name: login.name, password: login.password, from: address)
        var response = APIJSON.response(.ok, Me(session.identity))
        let maxAge = max(1, Int(session.expiresAt.timeIntervalSince(access.sessions.directory.ledger.now())))
        response.headers[.setCookie] = access.cookie(session.secret.text, maxAge: maxAge)
        return response
    }

    private func logout(_ context: ServerContext) throws -> Response {
        let identity = try context.requireStaff()
        guard case .session = identity.credential else {
            throw APIError(
                .badRequest, code: "not_a_session",
                message: "An API token has no session to end; revoke it with `posplus staff token revoke`.")
        }
        try access.sessions.logout(identity)
        var response = APIJSON.response(.ok, ["loggedOut": true])
        response.headers[.setCookie] = access.cookie("", maxAge: 0)
        return response
    }
}

extension ServerContext {
    /// Who is asking; 401 if no one (a route not behind the authenticator).
    public func requireStaff() throws(StaffError) -> StaffIdentity {
        guard let staff else { throw .notLoggedIn }
        return staff
    }

    /// Who is asking, if their role allows `permission`: 401 for no one, 403 for a role that
    /// may not. Handlers call it first: `let staff = try context.require(.chargeCard)`.
    @discardableResult
    public func require(_ permission: Permission) throws(StaffError) -> StaffIdentity {
        let staff = try requireStaff()
        try staff.require(permission)
        return staff
    }
}

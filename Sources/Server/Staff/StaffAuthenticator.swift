import Bridge
import HTTPTypes
import Hummingbird

/// Establishes who is asking, for every route behind it, or refuses.
///
/// - `Authorization: Bearer ppt_…`: an API token. No CSRF check: a browser never adds this
///   header by itself, so another site cannot make one send it.
/// - The `posplus_session` cookie: a browser session. A browser does add cookies by itself,
///   so every POST, PUT, PATCH and DELETE must also carry the session's token in
///   `X-CSRF-Token` (403 without it). The cookie is `SameSite=Strict` as well; the token is
///   the check that does not depend on the browser.
/// - Neither: 401. A session or token that ended: 401 saying why.
///
/// Both are read from the ledger on each request (nothing is cached), so a logout, revoke or
/// disable in any process holds from the next request on.
struct StaffAuthenticator: RouterMiddleware {
    typealias Context = ServerContext

    let access: StaffAccess

    static let unsafeMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer ") else {
                throw StaffError.credentialEnded("Send an API token as `Authorization: Bearer ppt_…`.")
            }
            context.staff = try access.tokens.authenticate(bearer: String(authorization.dropFirst("Bearer ".count)))
        } else if let cookie = request.cookies[StaffAccess.cookieName]?.value {
            let identity = try access.sessions.authenticate(cookie: cookie)
            if Self.unsafeMethods.contains(request.method), case .session(_, let secret, _) = identity.credential {
                guard CSRFToken.isValid(request.headers[StaffAccess.csrfHeader], for: secret) else { throw StaffError.csrfRejected }
            }
            context.staff = identity
        } else {
            throw StaffError.notLoggedIn
        }
        return try await next(request, context)
    }
}

import Bridge
import Hummingbird

/// The staff API on `posplus serve`, as one table of routes: what is registered, what
/// `openapi.json` must describe (a test compares the router's routes with the document), and
/// what the auth tests walk, route by route.
///
/// Every route but logging in and the document itself sits behind ``StaffAuthenticator`` (no
/// session or token: 401; a session's state change without its CSRF token: 403), then
/// ``APIEndpoint`` checks the route's permission (403) and, on a money route, the
/// `Idempotency-Key` (400), before the handler reads anything.
public struct StaffAPI: Sendable {
    public let access: StaffAccess
    /// What the front-desk routes ask for their services; nil leaves only logging in and out
    /// (the staff-login tests run so), and serve always has it.
    public let app: PosPlusApp?
    let limits: ServerLimits

    public init(access: StaffAccess, app: PosPlusApp?, limits: ServerLimits = ServerLimits()) {
        self.access = access
        self.app = app
        self.limits = limits
    }

    var endpoints: [APIEndpoint] {
        let staff = StaffRoutes(access: access, limits: limits).endpoints
        guard let app else { return staff }
        let desk = PaymentDesk(app: app)
        return staff + [OpenAPIDocument.endpoint] + InvoiceRoutes(app: app).endpoints + ChargeRoutes(app: app, desk: desk).endpoints
            + PaymentRoutes(app: app).endpoints + ReceiptRoutes(app: app).endpoints + CardRoutes(app: app, desk: desk).endpoints
            + LinkRoutes(app: app).endpoints
            + TerminalRoutes(app: app).endpoints + ReportRoutes(app: app).endpoints + ApprovalRoutes(app: app).endpoints
            + ChargeProgressRoutes(app: app).endpoints + ForecastRoutes(app: app).endpoints
            + PlanRoutes(app: app).endpoints
            + FollowUpRoutes(app: app).endpoints
    }

    /// Every route, with who may call it.
    public var routes: [APIRoute] { endpoints.map(\.route) }

    /// Registers each route on `api` (open to anyone) or `authenticated` (behind the staff
    /// authenticator); both are groups under `/api`.
    func register(api: RouterGroup<ServerContext>, authenticated: RouterGroup<ServerContext>) {
        let limits = self.limits
        for endpoint in endpoints {
            let group = endpoint.route.access == .anyone ? api : authenticated
            let relative = RouterPath(String(endpoint.route.path.dropFirst("/api/".count)))
            group.on(relative, method: endpoint.route.method) { request, context in
                try await endpoint.respond(to: request, context: context, limits: limits)
            }
        }
    }
}

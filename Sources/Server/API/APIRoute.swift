import Bridge
import HTTPTypes
import Hummingbird
import PosPlusCore

/// Who may call a route of the staff API.
public enum APIAccess: Hashable, Sendable, CustomStringConvertible {
    /// No login: logging in, and the API's own description.
    case anyone
    /// Any logged-in person, whatever their role (who am I, log out).
    case anyStaff
    /// A person whose role holds this permission.
    case permission(Permission)

    public var description: String {
        switch self {
        case .anyone: "anyone"
        case .anyStaff: "any staff"
        case .permission(let permission): permission.rawValue
        }
    }
}

/// One route of the staff API as data: what registers it, what the OpenAPI document must
/// describe (a test compares the two), and what the auth tests walk for every route.
public struct APIRoute: Hashable, Sendable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    /// The full path in OpenAPI's (and Hummingbird's) template form: `/api/payments/{id}/refunds`.
    public let path: String
    public let access: APIAccess
    /// A request that moves money (or saves a card) must carry `Idempotency-Key`: the key names
    /// the payment, so a retry returns it instead of charging again.
    public let needsIdempotencyKey: Bool

    public init(_ method: HTTPRequest.Method, _ path: String, _ access: APIAccess, idempotent needsIdempotencyKey: Bool = false) {
        self.method = method
        self.path = path
        self.access = access
        self.needsIdempotencyKey = needsIdempotencyKey
    }

    public var description: String { "\(method.rawValue) \(path)" }
}

/// A route and the handler that answers it. Access and the idempotency key are checked here,
/// before the handler runs, so no handler can forget them: a person without the permission
/// gets 403 whatever they sent, and a money request without a key is refused before its body
/// is read.
struct APIEndpoint: Sendable {
    let route: APIRoute
    let handler: @Sendable (APICall) async throws -> Response

    init(_ route: APIRoute, _ handler: @escaping @Sendable (APICall) async throws -> Response) {
        self.route = route
        self.handler = handler
    }

    func respond(to request: Request, context: ServerContext, limits: ServerLimits) async throws -> Response {
        var staff: StaffIdentity?
        switch route.access {
        case .anyone: staff = context.staff
        case .anyStaff: staff = try context.requireStaff()
        case .permission(let permission): staff = try context.require(permission)
        }
        let key = route.needsIdempotencyKey ? try IdempotencyHeader.require(in: request) : nil
        return try await handler(APICall(request: request, context: context, limits: limits, staff: staff, idempotencyKey: key))
    }
}

/// The `Idempotency-Key` header every money request carries.
enum IdempotencyHeader {
    static let name = HTTPField.Name("Idempotency-Key")!

    static func require(in request: Request) throws -> IdempotencyKey {
        guard let text = request.headers[name] else {
            throw APIError(
                .badRequest, code: "idempotency_key_required",
                message:
                    "Send an Idempotency-Key header with every request that moves money: a new key for each new payment, the same key to retry one, so a retry never charges twice."
            )
        }
        do { return try IdempotencyKey(text) } catch {
            throw APIError(.badRequest, code: "invalid_idempotency_key", message: "Idempotency-Key: \(error.description)")
        }
    }
}

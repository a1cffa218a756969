import Bridge
import Foundation
import Hummingbird
import NIOCore
import PosPlusCore

/// One request to the staff API as its handler sees it: who asks, the idempotency key when the
/// route needs one, and the body and parameters read with the API's limits, each refusal a 4xx
/// naming what was wrong.
struct APICall: Sendable {
    let request: Request
    let context: ServerContext
    let limits: ServerLimits
    /// The person asking; nil only on routes open to anyone.
    let staffIfAny: StaffIdentity?
    /// Set on routes that move money (``APIRoute/needsIdempotencyKey``).
    let idempotencyKeyIfAny: IdempotencyKey?

    /// A body is a few fields; anything larger is not one of ours.
    static let maximumBody = 16 * 1024

    init(request: Request, context: ServerContext, limits: ServerLimits, staff: StaffIdentity?, idempotencyKey: IdempotencyKey?) {
        self.request = request
        self.context = context
        self.limits = limits
        self.staffIfAny = staff
        self.idempotencyKeyIfAny = idempotencyKey
    }

    var staff: StaffIdentity {
        get throws(StaffError) {
            guard let staffIfAny else { throw .notLoggedIn }
            return staffIfAny
        }
    }

    var idempotencyKey: IdempotencyKey {
        get throws { try idempotencyKeyIfAny ?? IdempotencyHeader.require(in: request) }
    }

    /// The JSON body as `T`. An empty body is read as `{}` when `T` allows it (every field
    /// optional), so a void with nothing to say needs no body. Any other content type is 415:
    /// a form on another site cannot send JSON without the browser asking first (CORS).
    func decodedBody<T: Decodable>(_ type: T.Type) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await PosPlusServer.collect(request, upTo: Self.maximumBody, within: limits.bodyTimeout, on: context.channel)
        } catch is SlowBody {
            throw APIError(.requestTimeout, code: "body_too_slow", message: "The request body did not arrive in time; send it again.")
        } catch {
            throw APIError(
                .contentTooLarge, code: "body_too_large", message: "The request body is larger than \(Self.maximumBody / 1024) KB.")
        }
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer: buffer)
        if buffer.readableBytes > 0, request.headers[.contentType]?.lowercased().hasPrefix("application/json") != true {
            throw APIError(.unsupportedMediaType, code: "json_required", message: "Send the body as JSON (Content-Type: application/json).")
        }
        return try StrictJSON.decode(type, from: data)
    }

    /// A path parameter, percent-decoded (a Jobber id may hold `/` or `=`, sent as `%2F`, `%3D`).
    func parameter(_ name: String) throws -> String {
        guard let raw = context.parameters.get(name), let text = raw.removingPercentEncoding, !text.isEmpty else {
            throw APIError(.badRequest, code: "invalid_parameter", message: "The path lacks its \(name).")
        }
        return text
    }

    /// A path parameter that must be a ledger id (a positive whole number).
    func id(_ name: String = "id", of what: String) throws -> Int64 {
        guard let id = Int64(try parameter(name)), id > 0 else {
            throw APIError(.badRequest, code: "invalid_parameter", message: "A \(what) id is a positive whole number, as listed.")
        }
        return id
    }

    /// A query parameter (percent-decoded by Hummingbird), nil when absent or empty.
    func query(_ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Every value of a repeated (or comma-separated) query parameter.
    func queryAll(_ name: String) -> [String] {
        request.uri.queryParameters.getAll(name).flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
    }

    /// A JSON answer with sorted keys.
    func json(_ body: some Encodable, status: HTTPResponse.Status = .ok) -> Response { APIJSON.response(status, body) }
}

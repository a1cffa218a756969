import Bridge
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An API refusal as JSON: `{"error": {"code": "…", "message": "a sentence for people"}}`.
///
/// The code is for programs (stable, snake_case); the message is for the person at the
/// counter, saying what happened and what to do. Internals never reach it: an unexpected error
/// is logged and answered with a generic sentence.
public struct APIError: HTTPResponseError, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Seconds to wait, for a 429.
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, code: String, message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The HTTP form of a staff refusal.
    public init(_ error: StaffError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .badRequest: .badRequest
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .tooManyRequests: .tooManyRequests
            case .notFound: .notFound
            case .conflict: .conflict
            case .unavailable: .serviceUnavailable
            }
        var retryAfter: Int?
        if case .locked(let seconds, _) = error { retryAfter = seconds }
        self.init(status, code: error.code, message: error.description, retryAfter: retryAfter)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = APIJSON.response(status, ["error": ["code": code, "message": message]])
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

/// JSON bodies of the API, with sorted keys so answers are stable.
enum APIJSON {
    static func response(_ status: HTTPResponse.Status, _ body: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(body)) ?? Data(#"{"error":{"code":"internal","message":"The answer could not be written."}}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error under `/api` into ``APIError``'s JSON: staff refusals as themselves,
/// Hummingbird's own (a 404, a body too large) with their status, the domain's refusals as
/// ``APIError/init(domain:)`` maps them, anything else as a 500 whose detail goes to the log,
/// not to the client.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as StaffError {
            if case .ledger = error, error.kind == .unavailable {
                context.logger.error("staff request failed in the ledger", metadata: ["error": "\(error)"])
            }
            throw APIError(error)
        } catch let error as HTTPError {
            throw APIError(error.status, code: "http_\(error.status.code)", message: error.body ?? error.status.reasonPhrase)
        } catch {
            if let mapped = APIError(domain: error) {
                if mapped.status.code >= 500 { context.logger.warning("API request refused", metadata: ["error": "\(error)"]) }
                throw mapped
            }
            context.logger.error("API request failed", metadata: ["error": "\(error)"])
            throw APIError(
                .internalServerError, code: "internal",
                message: "Something went wrong on the server; try again, and tell the owner if it keeps happening.")
        }
    }
}

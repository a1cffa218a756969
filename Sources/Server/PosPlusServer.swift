import Bridge
import Foundation
import Gateway
import HTTPServing
import HTTPTypes
import Hummingbird
import Jobber
import Logging

/// posplus's own HTTP face: the webhook endpoints today, the front-desk API next.
///
/// Webhooks are answered the moment they are durable: the handler verifies the signature,
/// stores the event (one SQLite transaction) and answers 200; acting on it happens after,
/// in ``WebhookProcessing``. Jobber wants an answer within a second and may disable an app
/// that is slow, so nothing that can wait runs before the answer.
public struct PosPlusServer: Sendable {
    /// Bodies above this are refused before they are read in full (Jobber's are a few hundred bytes).
    public static let maximumWebhookBody = 64 * 1024

    public let jobberInbox: JobberWebhookInbox?
    public let stripeInbox: StripeWebhookInbox?
    public let processing: WebhookProcessing?
    public let logger: Logger

    public init(
        jobberInbox: JobberWebhookInbox?, stripeInbox: StripeWebhookInbox? = nil, processing: WebhookProcessing? = nil, logger: Logger
    ) {
        self.jobberInbox = jobberInbox
        self.stripeInbox = stripeInbox
        self.processing = processing
        self.logger = logger
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health") { _, _ in Self.json(.ok, #"{"status":"ok"}"#) }
        router.post("/webhooks/jobber") { request, context in
            try await receiveJobberWebhook(request, context)
        }
        router.post("/webhooks/stripe") { request, context in
            try await receiveStripeWebhook(request, context)
        }
        return router
    }

    /// Serves on `host:port` until stopped.
    public func start(host: String = "127.0.0.1", port: Int) async throws -> RunningHTTPServer {
        try await RunningHTTPServer.start(router: router(), host: host, port: port, logger: logger)
    }

    private func receiveJobberWebhook(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let inbox = jobberInbox else {
            return Self.json(.serviceUnavailable, #"{"error":"Jobber is not configured (jobber.client_secret)"}"#)
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: Self.maximumWebhookBody) } catch {
            return Self.json(.contentTooLarge, #"{"error":"the body is larger than \#(Self.maximumWebhookBody) bytes"}"#)
        }
        let signature = request.headers[HTTPField.Name("X-Jobber-Hmac-SHA256")!]
        do {
            switch try inbox.receive(body: Array(buffer: body), signature: signature) {
            case .stored(let id):
                processing?.notify()
                return Self.json(.ok, #"{"stored":\#(id)}"#)
            case .duplicate:
                return Self.json(.ok, #"{"duplicate":true}"#)
            }
        } catch let error as JobberError {
            // The inbox has logged why, without the body. A bad signature is 401; a signed
            // body that is not a Jobber event is 400. Neither is stored.
            let unsigned = "\(error)".contains("signature") || "\(error)".contains("X-Jobber-Hmac-SHA256")
            return Self.json(unsigned ? .unauthorized : .badRequest, #"{"error":"rejected"}"#)
        } catch {
            logger.error("could not store a Jobber webhook", metadata: ["error": "\(error)"])
            return Self.json(.internalServerError, #"{"error":"not stored; please retry"}"#)
        }
    }

    private func receiveStripeWebhook(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let inbox = stripeInbox else {
            return Self.json(.serviceUnavailable, #"{"error":"Stripe is not configured (stripe.webhook_secret)"}"#)
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: Self.maximumWebhookBody * 4) } catch {
            return Self.json(.contentTooLarge, #"{"error":"the body is too large"}"#)
        }
        do {
            switch try inbox.receive(body: Array(buffer: body), signature: request.headers[HTTPField.Name("Stripe-Signature")!]) {
            case .stored(let id):
                processing?.notify()
                return Self.json(.ok, #"{"stored":\#(id)}"#)
            case .duplicate:
                return Self.json(.ok, #"{"duplicate":true}"#)
            }
        } catch let error as StripeWebhookError {
            if case .malformedBody = error { return Self.json(.badRequest, #"{"error":"rejected"}"#) }
            return Self.json(.unauthorized, #"{"error":"rejected"}"#)
        } catch {
            logger.error("could not store a Stripe webhook", metadata: ["error": "\(error)"])
            return Self.json(.internalServerError, #"{"error":"not stored; please retry"}"#)
        }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

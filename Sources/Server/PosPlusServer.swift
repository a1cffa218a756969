import Bridge
import Foundation
import Gateway
import HTTPServing
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Jobber
import Logging
import NIOCore

/// posplus's own HTTP face: the webhook endpoints, and the staff API (``StaffAPI``).
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
    /// Refusals the endpoint itself makes (too large, not configured), counted and logged at a
    /// bounded rate; give it the inboxes' ``RefusalLog`` so one burst is counted in one place.
    public let refusals: RefusalLog
    /// Idle, body and connection limits (see ``ServerLimits``).
    public var limits: ServerLimits
    /// Staff logins for `/api`; nil leaves the API out (only webhooks and `/health`).
    public var staff: StaffAccess?
    /// What the front-desk routes call (the payment path, Jobber look-ups, links, terminals);
    /// nil leaves `/api` at logging in and out.
    public var app: PosPlusApp?

    public init(
        jobberInbox: JobberWebhookInbox?, stripeInbox: StripeWebhookInbox? = nil, processing: WebhookProcessing? = nil, logger: Logger,
        refusals: RefusalLog? = nil, limits: ServerLimits = ServerLimits(), staff: StaffAccess? = nil, app: PosPlusApp? = nil
    ) {
        self.app = app
        self.jobberInbox = jobberInbox
        self.stripeInbox = stripeInbox
        self.processing = processing
        self.logger = logger
        self.refusals = refusals ?? RefusalLog(logger: logger)
        self.limits = limits
        self.staff = staff
    }

    /// The Hummingbird application `posplus serve` runs: these routes with these limits.
    /// `tls` makes it HTTPS (``ServeTLS``).
    public func application(
        host: String, port: Int, tls: TLSConfiguration? = nil, onServerRunning: @escaping @Sendable (any Channel) async -> Void
    ) throws -> some ApplicationProtocol {
        Application(
            router: router(), server: try Self.server(limits, tls: tls),
            configuration: .init(
                address: .hostname(host, port: port), serverName: nil, availableConnectionsDelegate: limits.availableConnections),
            onServerRunning: onServerRunning, logger: logger)
    }

    public func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.get("/health") { _, _ in Self.json(.ok, #"{"status":"ok"}"#) }
        router.post("/webhooks/jobber") { request, context in
            try await receiveJobberWebhook(request, context)
        }
        router.post("/webhooks/stripe") { request, context in
            try await receiveStripeWebhook(request, context)
        }
        if let staffAPI, let authenticated = authenticatedAPI(on: router) {
            staffAPI.register(api: api(on: router), authenticated: authenticated)
            ConsoleRoutes.register(on: router)
        }
        return router
    }

    /// The staff API's route table, when staff logins are set up.
    public var staffAPI: StaffAPI? { staff.map { StaffAPI(access: $0, app: app, limits: limits) } }

    /// `/api` routes that answer errors as JSON but need no login (logging in itself).
    func api(on router: Router<ServerContext>) -> RouterGroup<ServerContext> {
        router.group("api").add(middleware: APIErrorMiddleware())
    }

    /// `/api` routes behind the staff authenticator: every route added here has
    /// `context.staff` set (or was answered 401, or 403 for a missing CSRF token) and calls
    /// `context.require(permission)` for what it does. Nil when staff logins are not set up.
    public func authenticatedAPI(on router: Router<ServerContext>) -> RouterGroup<ServerContext>? {
        guard let staff else { return nil }
        return api(on: router).add(middleware: StaffAuthenticator(access: staff))
    }

    /// HTTP/1 with `limits`, inside TLS when `tls` is given.
    static func server(_ limits: ServerLimits, tls: TLSConfiguration?) throws -> HTTPServerBuilder {
        guard let tls else { return limits.server }
        return try .tls(limits.server, tlsConfiguration: tls)
    }

    /// Serves on `host:port` until stopped (HTTPS with `tls`).
    public func start(
        host: String = "127.0.0.1", port: Int, tls: TLSConfiguration? = nil, router: Router<ServerContext>? = nil
    ) async throws -> RunningHTTPServer {
        try await RunningHTTPServer.start(
            router: router ?? self.router(), host: host, port: port, server: try Self.server(limits, tls: tls),
            availableConnections: limits.availableConnections,
            logger: logger)
    }

    /// One webhook sender as the endpoint sees it: where its signature is, how its inbox
    /// stores a delivery, and which refusals are forgeries (401) rather than bad bodies (400).
    private struct WebhookSource: Sendable {
        let name: String
        let signatureHeader: HTTPField.Name
        let maximumBody: Int
        let store: @Sendable (_ body: [UInt8], _ signature: String?) throws -> WebhookReceipt
        /// nil: not a refusal (a storage failure); true: missing or wrong signature.
        let isForgery: @Sendable (any Error) -> Bool?
    }

    private var jobberSource: WebhookSource? {
        jobberInbox.map { inbox in
            WebhookSource(
                name: "Jobber", signatureHeader: HTTPField.Name("X-Jobber-Hmac-SHA256")!,
                maximumBody: Self.maximumWebhookBody, store: { try inbox.receive(body: $0, signature: $1) },
                isForgery: { error in
                    guard case .invalidWebhook(let problem)? = error as? JobberError else { return nil }
                    return problem.isUnauthenticated
                })
        }
    }

    private var stripeSource: WebhookSource? {
        stripeInbox.map { inbox in
            WebhookSource(
                name: "Stripe", signatureHeader: HTTPField.Name("Stripe-Signature")!,
                maximumBody: Self.maximumWebhookBody * 4, store: { try inbox.receive(body: $0, signature: $1) },
                isForgery: { error in
                    guard let error = error as? StripeWebhookError else { return nil }
                    if case .malformedBody = error { return false }
                    return true
                })
        }
    }

    private func receiveJobberWebhook(_ request: Request, _ context: ServerContext) async throws -> Response {
        await receive(request, context, from: jobberSource, named: "Jobber", configurationKey: "jobber.client_secret")
    }

    private func receiveStripeWebhook(_ request: Request, _ context: ServerContext) async throws -> Response {
        await receive(request, context, from: stripeSource, named: "Stripe", configurationKey: "stripe.webhook_secret")
    }

    /// Verify and store, then answer; processing happens after the answer. A refused delivery
    /// is not stored, and is logged without its body at a bounded rate (``RefusalLog``).
    private func receive(
        _ request: Request, _ context: ServerContext, from source: WebhookSource?, named name: String, configurationKey: String
    ) async -> Response {
        guard let source else {
            refusals.refused(name, kind: "notConfigured", detail: "\(configurationKey) is not set", bytes: 0)
            return Self.json(.serviceUnavailable, #"{"error":"\#(name) is not configured (\#(configurationKey))"}"#)
        }
        let body: ByteBuffer
        do {
            body = try await Self.collect(request, upTo: source.maximumBody, within: limits.bodyTimeout, on: context.channel)
        } catch is SlowBody {
            refusals.refused(name, kind: "tooSlow", detail: "the body did not arrive within \(limits.bodyTimeout)", bytes: 0)
            return Self.closing(.requestTimeout, #"{"error":"the body did not arrive in time"}"#, context.channel)
        } catch {
            refusals.refused(
                name, kind: "tooLarge", detail: "the body is larger than \(source.maximumBody) bytes", bytes: source.maximumBody)
            return Self.closing(.contentTooLarge, #"{"error":"the body is larger than \#(source.maximumBody) bytes"}"#, context.channel)
        }
        do {
            switch try source.store(Array(buffer: body), request.headers[source.signatureHeader]) {
            case .stored(let id):
                processing?.notify()
                return Self.json(.ok, #"{"stored":\#(id)}"#)
            case .duplicate:
                return Self.json(.ok, #"{"duplicate":true}"#)
            }
        } catch {
            if let forged = source.isForgery(error) { return Self.json(forged ? .unauthorized : .badRequest, #"{"error":"rejected"}"#) }
            logger.error("could not store a \(source.name) webhook", metadata: ["error": "\(error)"])
            return Self.json(.internalServerError, #"{"error":"not stored; please retry"}"#)
        }
    }

    /// The body, if it arrives whole and within `timeout`. When the time is up the connection
    /// stops reading (its input is shut), which ends the read under way without cancelling it —
    /// cancelling a read of the connection's stream would close the connection before the
    /// answer could be written.
    static func collect(_ request: Request, upTo maximum: Int, within timeout: Duration, on channel: any Channel) async throws
        -> ByteBuffer
    {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await request.body.collect(upTo: maximum) }
            group.addTask {
                try await Task.sleep(for: timeout)
                channel.close(mode: .input, promise: nil)
                return nil
            }
            guard let first = try await group.next(), let body = first else {
                while (try? await group.next()) != nil {}  // the read, ended by the shut input
                throw SlowBody()
            }
            group.cancelAll()  // only the timer is left
            return body
        }
    }

    /// A refusal after which the rest of the request is not read: the connection's input is
    /// shut, so Hummingbird does not drain a body that is too large or too slow, the answer is
    /// written, and the connection then closes.
    static func closing(_ status: HTTPResponse.Status, _ text: String, _ channel: any Channel) -> Response {
        channel.close(mode: .input, promise: nil)
        return Response(
            status: status, headers: [.contentType: "application/json", .connection: "close"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// A request body that did not arrive within ``ServerLimits/bodyTimeout``.
struct SlowBody: Error {}

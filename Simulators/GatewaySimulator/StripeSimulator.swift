import Foundation
import Gateway
import HTTPClient
import HTTPServing
import Hummingbird
import Logging
import PosPlusCore

/// The part of Stripe's API that no installable fake covers (stripe.md §4.2c): Payment Links
/// and their Checkout Sessions, a "customer pays this link" route, ACH debits that stay
/// `processing` until told to succeed or fail (also after success: a return), list paging
/// with `has_more`, Idempotency-Key replay (the first reply, even a 500; a different request
/// under the same key is an `idempotency_error`), Stripe's decline errors, and signed webhooks.
/// Card PaymentIntents, refunds, customers and saved cards are here too, so one server covers
/// a whole link or ACH flow.
///
/// API routes mirror Stripe's (`/v1/…`); test controls live under `/_sim/…`.
public final class StripeSimulator: Sendable {
    public struct Options: Sendable {
        /// Secret keys start with this (Stripe's test keys: `sk_test_`).
        public var keyPrefix = "sk_test_"
        /// Signs webhooks (`whsec_…`); events go to ``webhookURL`` when set.
        public var webhookSecret = "whsec_posplus_simulator"
        public var webhookURL: String?
        public var now: @Sendable () -> Date = { Date() }
        public init() {}
    }

    let state: StripeState
    let logger: Logger
    private let settings: SimulatorSettings
    let webhookClient = WebhookClient()

    public init(options: Options = Options(), logger: Logger = Logger(label: "posplus.sim.stripe")) {
        state = StripeState(now: options.now)
        settings = SimulatorSettings(options)
        self.logger = logger
    }

    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> RunningHTTPServer {
        let server = try await RunningHTTPServer.start(router: router(), host: host, port: port, logger: logger)
        serving(at: server.baseURL)
        return server
    }

    /// Tells the simulator where it is reachable, for the URLs of the links it makes (when the
    /// caller runs the router itself).
    public func serving(at baseURL: String) { settings.update { $0.baseURL = baseURL } }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        addAPIRoutes(to: router)
        addControlRoutes(to: router)
        addBalanceRoutes(to: router)
        addMandateRoutes(to: router)
        return router
    }

    // MARK: Controls (the /_sim routes call these too)

    public func setWebhookURL(_ url: String?) { settings.update { $0.options.webhookURL = url } }
    public var webhookSecret: String { settings.value.options.webhookSecret }

    /// The next API reply is held back this long after the work is done (a lost reply).
    public func delayNextReply(by duration: Duration) { settings.update { $0.delayNextReply = duration } }
    /// The next API request fails with this status after the work would have started.
    public func failNextRequest(status: Int) { settings.update { $0.failNext = status } }

    /// How many PaymentIntents exist (tests count charges with it).
    public var paymentIntentCount: Int { state.all("payment_intent").count }

    /// How many payment links exist (tests prove a held link was never created).
    public var paymentLinkCount: Int { state.all("payment_link").count }

    var options: Options { settings.value.options }
    var baseURL: String { settings.value.baseURL }

    func takeFault() -> (delay: Duration?, failure: Int?) {
        settings.take()
    }
}

/// Settings and one-shot faults, behind a lock.
final class SimulatorSettings: @unchecked Sendable {
    struct Values {
        var options: StripeSimulator.Options
        var baseURL = "http://127.0.0.1"
        var delayNextReply: Duration?
        var failNext: Int?
    }

    private let lock = NSLock()
    private var values: Values

    init(_ options: StripeSimulator.Options) { values = Values(options: options) }

    var value: Values { lock.withLock { values } }
    func update(_ change: (inout Values) -> Void) { lock.withLock { change(&values) } }

    func take() -> (Duration?, Int?) {
        lock.withLock {
            defer {
                values.delayNextReply = nil
                values.failNext = nil
            }
            return (values.delayNextReply, values.failNext)
        }
    }
}

/// Stripe's error body.
func stripeError(
    _ status: Int, type: String = "invalid_request_error", code: String? = nil, message: String, param: String? = nil,
    declineCode: String? = nil, paymentIntent: JSONValue? = nil
) -> (Int, JSONValue) {
    var error: [String: JSONValue] = ["type": .string(type), "message": .string(message)]
    if let code { error["code"] = .string(code) }
    if let param { error["param"] = .string(param) }
    if let declineCode { error["decline_code"] = .string(declineCode) }
    if let paymentIntent { error["payment_intent"] = paymentIntent }
    return (status, .object(["error": .object(error)]))
}

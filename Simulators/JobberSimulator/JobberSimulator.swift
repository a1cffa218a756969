import Foundation
import Graphiti
import HTTPServing
import Hummingbird
import Logging

/// A stand-in for Jobber's API on a loopback port: the GraphQL subset posplus uses (with
/// Jobber's exact names), the OAuth endpoints with refresh-token rotation, cost-based
/// throttling, 401s for expired or revoked tokens, signed webhooks when data changes, and a
/// small `/_admin` API for tests and demos to change data and provoke faults.
///
/// Routes: `POST /api/graphql`, `GET /api/oauth/authorize`, `POST /api/oauth/token`, and
/// `/_admin/…` (see ``JobberSimulator/addAdminRoutes(to:)``).
public final class JobberSimulator: Sendable {
    public struct Options: Sendable {
        public var clientID = "posplus-sim-client"
        public var clientSecret = "posplus-sim-secret"
        public var appID = "3f1c5a2e-sim0-4c8e-9b1a-posplus00001"
        /// Where webhooks go; nil sends none until `/_admin/webhooks` names a URL.
        public var webhookURL: String?
        /// Access-token lifetime (Jobber: 60 minutes).
        public var accessTokenLifetime: TimeInterval = 3600
        /// Serve `invoiceCreatePaymentRecord` (absent from Jobber's public schema).
        public var offersPaymentRecords = false
        /// Spell the webhook time `occuredAt`, as Jobber does for apps made before 2023-12-08.
        public var legacyWebhookSpelling = false
        public var seed = Seed.standard()
        /// The simulator's clock: token expiry, the cost bucket's refill, timestamps.
        public var now: @Sendable () -> Date = { Date() }

        public init() {}
    }

    /// What the simulator has seen, for tests.
    public struct Stats: Equatable, Sendable, Codable {
        public var graphQLRequests = 0
        public var throttledRequests = 0
        public var unauthorizedRequests = 0
        public var introspectionQueries = 0
        public var tokenRefreshes = 0
        /// Query cost points taken from the bucket (throttled queries take none).
        public var pointsUsed = 0
    }

    /// A note on an invoice, as staff would see it in Jobber.
    public struct Note: Equatable, Sendable {
        public var id: String
        public var message: String
        public var pinned: Bool
    }

    public let world: JobberWorld
    let oauth: SimulatedOAuth
    let bucket: CostBucket
    let webhooks: WebhookSender
    let logger: Logger
    private let state: SimulatorState

    public init(options: Options = Options(), logger: Logger = Logger(label: "posplus.sim.jobber")) throws {
        world = JobberWorld(seed: options.seed, now: options.now)
        oauth = SimulatedOAuth(
            clientID: options.clientID, clientSecret: options.clientSecret, accountID: options.seed.account.id.value,
            lifetime: options.accessTokenLifetime, now: options.now)
        bucket = CostBucket(now: options.now)
        webhooks = WebhookSender(
            appID: options.appID, accountID: options.seed.account.id.value, secret: options.clientSecret, logger: logger, now: options.now)
        self.logger = logger
        state = SimulatorState(
            publicSchema: try JobberSchema.make(offersPaymentRecords: false),
            extendedSchema: try JobberSchema.make(offersPaymentRecords: true), options: options)
    }

    /// Starts serving on `host:port` (0: any free port); stop it with ``RunningHTTPServer/stop()``.
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> RunningHTTPServer {
        try await RunningHTTPServer.start(router: router(), host: host, port: port, logger: logger)
    }

    /// Every route the simulator answers.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        addAPIRoutes(to: router)
        addAdminRoutes(to: router)
        return router
    }

    // MARK: Test and demo controls (the admin routes call these too)

    public var stats: Stats {
        var stats = state.stats
        stats.tokenRefreshes = oauth.refreshes
        return stats
    }

    public var clientID: String { oauth.clientID }
    public var clientSecret: String { oauth.clientSecret }

    /// The notes on the quote with this encoded id, newest first.
    public func notes(quoteID: String) -> [Note] {
        world.notes(invoice: EncodedId(quoteID)).map {
            Note(id: $0.id.value, message: $0.message, pinned: $0.pinned)
        }
    }

    /// The notes on invoice `number`, newest first.
    public func notes(invoiceNumber number: String) -> [Note] {
        guard let invoice = world.invoices.first(where: { $0.invoiceNumber == number }) else { return [] }
        return world.notes(invoice: invoice.id).map { Note(id: $0.id.value, message: $0.message, pinned: $0.pinned) }
    }

    /// Sends future webhooks to `url` (nil: none).
    public func setWebhookURL(_ url: String?) { state.update { $0.options.webhookURL = url } }

    public func setOffersPaymentRecords(_ offers: Bool) { state.update { $0.options.offersPaymentRecords = offers } }

    /// Every access token issued so far is rejected from now on (401, then the client refreshes).
    public func expireAccessTokens() { oauth.expireAccessTokens() }

    /// Sets the cost bucket's available points (and optionally its restore rate).
    public func setThrottle(available: Int, restoreRate: Int? = nil) { bucket.set(available: available, restoreRate: restoreRate) }

    /// The account disconnects the app: tokens die and APP_DISCONNECT is sent.
    @discardableResult
    public func disconnect() async -> [WebhookDelivery] {
        oauth.disconnect()
        return await send([.init(topic: "APP_DISCONNECT", itemID: world.account.id.value)])
    }

    /// Changes an invoice's status (as staff would in Jobber); sends INVOICE_UPDATE.
    @discardableResult
    public func setStatus(invoice id: EncodedId, _ status: InvoiceStatusTypeEnum) async -> [WebhookDelivery] {
        await send(world.update(invoice: id) { $0.status = status })
    }

    /// Records a payment in Jobber (as staff or Jobber Payments would); sends PAYMENT_CREATE
    /// and INVOICE_UPDATE. Returns nil for an unknown invoice.
    public func recordPayment(invoice id: EncodedId, cents: Int64, adjustment: IncomeAdjustmentType = .payment) async -> [WebhookDelivery]?
    {
        guard let (_, changes) = world.recordPayment(invoice: id, cents: cents, adjustment: adjustment, details: nil) else { return nil }
        return await send(changes)
    }

    /// Sends an event as it is, for tests of duplicates and topics posplus ignores.
    @discardableResult
    public func sendWebhook(topic: String, itemID: String) async -> [WebhookDelivery] {
        await send([.init(topic: topic, itemID: itemID)])
    }

    /// The webhook body and signature the simulator would send, for tests that post by hand.
    public func signedWebhook(topic: String, itemID: String) -> (body: [UInt8], signature: String) {
        let body = webhooks.body(for: .init(topic: topic, itemID: itemID), legacySpelling: state.options.legacyWebhookSpelling)
        return (body, webhooks.signature(of: body))
    }

    /// Signs any body with the app's secret, as Jobber signs its deliveries: for tests of a
    /// correctly signed body that is not an event.
    public func webhookSignature(of body: [UInt8]) -> String { webhooks.signature(of: body) }

    func send(_ changes: [JobberWorld.Change]) async -> [WebhookDelivery] {
        let options = state.options
        guard let url = options.webhookURL, !changes.isEmpty else { return [] }
        return await webhooks.deliver(changes, to: url, legacySpelling: options.legacyWebhookSpelling)
    }

    func schema() -> Schema<JobberResolver, JobberWorld> {
        let state = state.snapshot
        return state.options.offersPaymentRecords ? state.extendedSchema : state.publicSchema
    }

    func count(_ update: @Sendable (inout Stats) -> Void) { state.update { update(&$0.stats) } }
}

/// The simulator's mutable settings and counters, behind one lock.
final class SimulatorState: @unchecked Sendable {
    struct Values {
        let publicSchema: Schema<JobberResolver, JobberWorld>
        let extendedSchema: Schema<JobberResolver, JobberWorld>
        var options: JobberSimulator.Options
        var stats = JobberSimulator.Stats()
    }

    private let lock = NSLock()
    private var values: Values

    init(
        publicSchema: Schema<JobberResolver, JobberWorld>, extendedSchema: Schema<JobberResolver, JobberWorld>,
        options: JobberSimulator.Options
    ) {
        values = Values(publicSchema: publicSchema, extendedSchema: extendedSchema, options: options)
    }

    var snapshot: Values { lock.withLock { values } }
    var options: JobberSimulator.Options { snapshot.options }
    var stats: JobberSimulator.Stats { snapshot.stats }

    func update(_ change: (inout Values) -> Void) { lock.withLock { change(&values) } }
}

import Foundation
import Gateway
import Jobber
import Ledger
import Logging
import Messaging
import PosPlusCore
import Synchronization
import Terminal

/// The composition root (ARCHITECTURE.md): the configuration loaded once, the ledger opened
/// once per process (one `DatabasePool`, GRDB's first rule), and everything else built from
/// them when first asked for — so a command that never talks to Jobber never needs Jobber's
/// settings, and one that never charges never needs a terminal. The CLI and `serve` ask it
/// for what they need and wire nothing themselves.
///
/// Driver families are handed in: Bridge sees terminals only through ``TerminalDriver``.
public final class PosPlusApp: Sendable {
    /// The configuration as loaded, with where each value came from (`config show`).
    public let loaded: LoadedConfig
    public let logger: Logger
    /// Drivers by family name ("pax"), reading amounts in the business's currency.
    public let families: [String: TerminalDriverFactory]

    private let openedLedger = Once<Ledger>()
    private let jobberSession = Once<JobberSession>()
    private let stripe = Once<StripeGateway<ContinuousClock>>()
    private let supervised = Mutex<[String: TerminalChannel]>([:])
    /// One for the process, so its limit on concurrent bcrypt work holds across every login.
    let passwordHasher: PasswordHasher
    /// Live progress of the payments this process makes, for pages that watch a charge.
    public let paymentProgress = PaymentProgressHub()

    public var config: PosPlusConfig { loaded.config }

    /// Builds drivers for a currency: `families(currency, logger)`.
    public typealias DriverFamilies = @Sendable (Currency, Logger) -> [String: TerminalDriverFactory]

    /// The ledger key, when the caller has it; nil finds it as ``Ledger/LedgerKey`` says
    /// (environment, systemd credentials, or the key file in the config folder).
    public let ledgerKey: LedgerKey?

    /// Told as a payment passes each step boundary, in every path this app builds (the crash
    /// test kills the process there); nil in normal use.
    public let stepObserver: (@Sendable (PaymentStep) -> Void)?

    /// The wall clock the ledger stamps rows with (and "today" is read from); tests inject one.
    public let clock: @Sendable () -> Date

    public init(
        loaded: LoadedConfig, families: DriverFamilies, logger: Logger, ledgerKey: LedgerKey? = nil,
        stepObserver: (@Sendable (PaymentStep) -> Void)? = nil, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.loaded = loaded
        self.logger = logger
        self.families = families(loaded.config.currency, logger)
        self.ledgerKey = ledgerKey
        self.stepObserver = stepObserver
        self.clock = clock
        self.passwordHasher = PasswordHasher(cost: loaded.config.staff.bcryptCost)
    }

    /// The app for one process: the configuration file (or the default one) with environment
    /// overrides, and `ledgerPath` — a command-line `--ledger` — over both.
    /// `configuredLogLevel` gives `logger` the configuration's `logging.level` (the service
    /// does; a command staff run stays quiet but for warnings).
    public static func load(
        configPath: String?, ledgerPath: String?, families: DriverFamilies, logger: Logger, ledgerKey: LedgerKey? = nil,
        configuredLogLevel: Bool = false, stepObserver: (@Sendable (PaymentStep) -> Void)? = nil,
        clock: @escaping @Sendable () -> Date = Date.init
    ) throws -> PosPlusApp {
        var loaded = try ConfigLoader().load(explicitPath: configPath)
        if let ledgerPath {
            loaded.config.ledgerPath = ledgerPath
            if let index = loaded.sources.firstIndex(where: { $0.key == "ledger.path" }) {
                loaded.sources[index] = ("ledger.path", ledgerPath, .environment("--ledger"))
            }
        }
        var logger = logger
        if configuredLogLevel { logger.logLevel = Logger.Level(rawValue: loaded.config.logLevel.rawValue) ?? .info }
        return PosPlusApp(
            loaded: loaded, families: families, logger: logger, ledgerKey: ledgerKey, stepObserver: stepObserver, clock: clock)
    }

    /// The ledger, opened (and created on first use) once for the whole process.
    public func ledger() throws -> Ledger {
        try openedLedger.get { try Ledger.open(at: config.ledgerPath, key: ledgerKey, clock: clock) }
    }

    // MARK: Jobber

    /// The Jobber settings a call to Jobber needs that are not set, by key.
    public var missingJobberSettings: [String] {
        [config.jobber.clientID == nil ? "jobber.client_id" : nil, config.jobber.clientSecret == nil ? "jobber.client_secret" : nil]
            .compactMap { $0 }
    }

    /// The Jobber clients (GraphQL, invoices, tokens shared through the ledger), built once.
    public func jobber() throws -> JobberSession {
        let ledger = try ledger()
        return try jobberSession.get { () throws(JobberError) -> JobberSession in
            try JobberSession(settings: config.jobber, currency: config.currency, ledger: ledger, logger: logger)
        }
    }

    /// Connecting and disconnecting the Jobber account (`posplus jobber connect`).
    public func jobberConnectFlow() throws -> JobberConnectFlow {
        JobberConnectFlow(settings: config.jobber, ledger: try ledger(), logger: logger)
    }

    /// Step 2 of a charge against Jobber, or why it cannot be had here: the sentence names
    /// the missing settings and says what works without them.
    public func chargeCheck() throws(ChargeCheckError) -> ChargeCheck<ContinuousClock> {
        let missing = missingJobberSettings
        guard missing.isEmpty else {
            let keys = missing.joined(separator: " and ")
            let variables = missing.map { "POSPLUS_" + $0.uppercased().replacingOccurrences(of: ".", with: "_") }.joined(separator: " and ")
            throw .unavailable(
                "\(keys) \(missing.count == 1 ? "is" : "are") not set (set \(variables), or the configuration file); voids, refunds and card saves work without Jobber"
            )
        }
        do { return ChargeCheck(invoices: try jobber().invoices, rules: ChargeGuard(limits: config.chargeLimits)) } catch let error
            as JobberError
        {
            throw .jobber(error)
        } catch { throw .unavailable("the ledger could not be opened for Jobber's tokens: \(error)") }
    }

    // MARK: Terminals

    /// The configured terminals and this build's drivers for them.
    public var terminals: TerminalDirectory { TerminalDirectory(terminals: config.terminals, families: families) }

    /// The configured terminal `name` as a payment channel through its ``TerminalSupervisor``:
    /// one per terminal for the process, so "one transaction in flight" holds across callers.
    public func terminalChannel(named name: String) throws(TerminalDirectoryError) -> TerminalChannel {
        let directory = terminals
        return try supervised.withLock { (channels: inout [String: TerminalChannel]) throws(TerminalDirectoryError) -> TerminalChannel in
            if let channel = channels[name] { return channel }
            let channel = try directory.channel(named: name, logger: logger)
            channels[name] = channel
            return channel
        }
    }

    // MARK: Stripe and messaging

    /// The Stripe gateway, or an error naming the missing `stripe.secret_key`.
    public func stripeGateway() throws(GatewayError) -> StripeGateway<ContinuousClock> {
        try stripe.get { () throws(GatewayError) -> StripeGateway<ContinuousClock> in
            try CardNotPresentWiring.stripeGateway(config.stripe, logger: logger)
        }
    }

    /// The gateway's payment channels by name — its own (cards saved with it) and its links'
    /// (payments customers made through links) — or none when Stripe is not configured.
    public func gatewayChannels() -> [String: GatewayChannel] {
        guard let gateway = try? stripeGateway() else { return [:] }
        let names = [gateway.name, GatewayChannel.linkChannelName(of: gateway.name)]
        return Dictionary(uniqueKeysWithValues: names.map { ($0, GatewayChannel(name: $0, gateway: gateway)) })
    }

    /// The payment-link mailer, or nil when `smtp.url` is not set.
    public func mailer() throws(MessagingError) -> SMTPMailer? { try CardNotPresentWiring.mailer(config.smtp) }

    /// The payment-link SMS sender, or nil when `sms.account_sid` is not set.
    public func smsSender() throws(MessagingError) -> SMSSender<ContinuousClock>? {
        try CardNotPresentWiring.smsSender(config.sms, logger: logger)
    }
}

import Foundation
import PosPlusCore

/// Everything posplus reads from its configuration file and environment.
///
/// Defaults make a fresh install work (a ledger under `$XDG_DATA_HOME`, USD, no charge
/// limits); the file sets what a business needs; environment variables override the file for
/// one run or one service unit. ``ConfigLoader`` builds it and names the key of any bad value.
public struct PosPlusConfig: Equatable, Sendable {
    /// The name customers see on receipts and payment messages.
    public var businessName: String = "posplus"
    /// The currency every charge is in; a Jobber invoice in another currency is refused.
    public var currency: Currency = .usd
    /// Where the ledger database lives.
    public var ledgerPath: String
    /// Bounds on a single charge.
    public var chargeLimits = ChargeLimits()
    /// How much the service logs (swift-log level names).
    public var logLevel: LogLevelName = .info
    /// The Jobber app posplus signs in as.
    public var jobber = JobberSettings()
    /// Card-not-present processing (payment links, saved cards, ACH).
    public var stripe = StripeSettings()
    /// Where payment-link emails go out.
    public var smtp = SMTPConfiguration()
    /// Where payment-link texts go out.
    public var sms = SMSConfiguration()
    /// The words of payment-link messages.
    public var messages = MessageTemplates()
    /// Counter terminals by name, from `[terminals.NAME]` tables.
    public var terminals: [TerminalSettings] = []
    /// How payments whose answer was lost are settled.
    public var recovery = RecoverySettings()
    /// What `posplus serve` tolerates from a connection.
    public var server = ServerSettings()
    /// When serve reconciles, and the windows the matcher allows.
    public var reconcile = ReconcileSettings()
    /// Staff logins: session lifetimes, bcrypt's cost, failed logins allowed.
    public var staff = StaffSettings()
    /// What waits for a manager's approval (`approvals.*`); nothing unless set.
    public var approvals = ApprovalThresholds()
    /// The business's address and phone on receipts, and whether receipts go out by themselves.
    public var receipts = ReceiptSettings()
    /// What happens after a decline (`declines.*`): off unless set.
    public var declines = DeclineSettings()
    /// `[reminders]`: reminders of unpaid invoices.
    public var reminders = ReminderSettings()
    /// Payment plans on large invoices (`plans.*`): off unless set.
    public var plans = PlanSettings()
    /// Risk holds on charges and links (`risk.*`): off unless set.
    public var risk = RiskSettings()

    /// The terminal with this name.
    public func terminal(named name: String) -> TerminalSettings? { terminals.first { $0.name == name } }

    public init(ledgerPath: String) {
        self.ledgerPath = ledgerPath
    }
}

/// How Recovery treats a payment whose answer was lost.
public struct RecoverySettings: Equatable, Sendable {
    /// How long after an attempt started a terminal's "I have no record of it" is taken as
    /// proof that nothing was charged. Until then the terminal may still be waiting for the
    /// card, so the invoice stays blocked. Never below ``notFoundFloor``.
    public var notFoundAfter: Duration = .seconds(15 * 60)

    /// The shortest `recovery.not_found_after` accepted: longer than any terminal waits for a
    /// card plus posplus's own response timeout, so a late approval cannot land on a payment
    /// already abandoned.
    public static let notFoundFloor: Duration = .seconds(3 * 60)

    public init() {}
}

/// Limits on connections to `posplus serve` (slow or abandoned senders are cut off).
public struct ServerSettings: Equatable, Sendable {
    /// A connection without a whole request head for this long is closed.
    public var idleTimeout: Duration = .seconds(10)
    /// A request body must arrive within this long (408); shorter than the idle timeout.
    public var bodyTimeout: Duration = .seconds(5)
    /// Connections held at once; more wait in the listen backlog.
    public var maximumConnections = 256
    /// serve's TLS certificate chain and private key (PEM files); both or neither. With them it
    /// speaks HTTPS and may listen beyond loopback.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?

    public init() {}
}

/// swift-log's level names, so this module does not need swift-log to parse them.
public enum LogLevelName: String, Equatable, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// Where a configuration value came from, as `posplus config show` reports it.
public enum ConfigSource: Equatable, Sendable, CustomStringConvertible {
    case defaultValue
    case file(String)
    case environment(String)

    public var description: String {
        switch self {
        case .defaultValue: return "default"
        case .file(let path): return path
        case .environment(let name): return "$\(name)"
        }
    }
}

/// How posplus reaches Jobber. The client secret is a ``Secret``: `config show` says only
/// whether it is set. Prefer `POSPLUS_JOBBER_CLIENT_SECRET` to writing it in the file.
public struct JobberSettings: Equatable, Sendable {
    public var endpoint = "https://api.getjobber.com/api/graphql"
    public var authorizeURL = "https://api.getjobber.com/api/oauth/authorize"
    public var tokenURL = "https://api.getjobber.com/api/oauth/token"
    /// Pinned `X-JOBBER-GRAPHQL-VERSION`; change it deliberately, after reading the changelog.
    public var apiVersion = "2025-04-16"
    public var clientID: String?
    public var clientSecret: Secret<String>?
    /// Loopback port for the OAuth redirect during `posplus jobber connect`.
    public var redirectPort = 8765

    public init() {}
}

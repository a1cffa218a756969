import Foundation
import PosPlusCore

/// A value as read from the file or the environment, before it is checked.
enum RawConfigValue: Equatable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    /// A TOML float: refused for money, because it has already lost exactness.
    case float(String)
    case other(typeName: String)

    var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .boolean: return "true or false"
        case .float: return "a floating-point number"
        case .other(let name): return name
        }
    }
}

/// One setting: its dotted key, its environment variable, its help, and how it is applied.
///
/// The list in ``ConfigField/all`` is the single source of truth: the loader accepts exactly
/// these keys, `config show` prints them, and the README's table mirrors them.
struct ConfigField: Sendable {
    /// `section.name`, as written in the file under `[section]`.
    let key: String
    let help: String
    /// Checks and stores a value; throws a sentence naming what is wrong.
    let apply: @Sendable (inout PosPlusConfig, RawConfigValue) throws(FieldProblem) -> Void
    /// The current value as text, for `config show`.
    let show: @Sendable (PosPlusConfig) -> String

    /// `POSPLUS_SECTION_NAME`.
    var environmentName: String {
        "POSPLUS_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    static let all: [ConfigField] = core + cardNotPresent + reconcile + staff + approvals + receipts + declines + reminders + plans + risk

    static let core: [ConfigField] = [
        ConfigField(
            key: "business.name", help: "Business name shown to customers.",
            apply: { config, value throws(FieldProblem) in config.businessName = try value.nonEmptyText() },
            show: { $0.businessName }),
        ConfigField(
            key: "business.currency", help: "ISO 4217 currency of every charge (USD, CAD, …).",
            apply: { config, value throws(FieldProblem) in
                let code = try value.nonEmptyText()
                do { config.currency = try Currency(code: code) } catch { throw FieldProblem("\(error)") }
            },
            show: { $0.currency.code }),
        ConfigField(
            key: "ledger.path", help: "Path of the ledger database file.",
            apply: { config, value throws(FieldProblem) in config.ledgerPath = try value.nonEmptyText() },
            show: { $0.ledgerPath }),
        ConfigField(
            key: "charges.minimum", help: "Smallest charge allowed, as a quoted amount (\"1.00\").",
            apply: { config, value throws(FieldProblem) in config.chargeLimits.minimum = try value.money(in: config.currency) },
            show: { $0.chargeLimits.minimum?.decimalText ?? "(none)" }),
        ConfigField(
            key: "charges.maximum", help: "Largest charge allowed, as a quoted amount (\"5000.00\").",
            apply: { config, value throws(FieldProblem) in config.chargeLimits.maximum = try value.money(in: config.currency) },
            show: { $0.chargeLimits.maximum?.decimalText ?? "(none)" }),
        ConfigField(
            key: "jobber.endpoint", help: "Jobber's GraphQL endpoint.",
            apply: { config, value throws(FieldProblem) in config.jobber.endpoint = try value.url() },
            show: { URLCredentials.hidden(in: $0.jobber.endpoint) }),
        ConfigField(
            key: "jobber.authorize_url", help: "Jobber's OAuth authorize page.",
            apply: { config, value throws(FieldProblem) in config.jobber.authorizeURL = try value.url() },
            show: { URLCredentials.hidden(in: $0.jobber.authorizeURL) }),
        ConfigField(
            key: "jobber.token_url", help: "Jobber's OAuth token endpoint.",
            apply: { config, value throws(FieldProblem) in config.jobber.tokenURL = try value.url() },
            show: { URLCredentials.hidden(in: $0.jobber.tokenURL) }),
        ConfigField(
            key: "jobber.api_version", help: "Pinned X-JOBBER-GRAPHQL-VERSION (YYYY-MM-DD).",
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText()
                guard text.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", options: .regularExpression) != nil else {
                    throw FieldProblem("\"\(text)\" is not a version date like 2025-04-16")
                }
                config.jobber.apiVersion = text
            },
            show: { $0.jobber.apiVersion }),
        ConfigField(
            key: "jobber.client_id", help: "The Jobber app's OAuth client id.",
            apply: { config, value throws(FieldProblem) in config.jobber.clientID = try value.nonEmptyText() },
            show: { $0.jobber.clientID ?? "(not set)" }),
        ConfigField(
            key: "jobber.client_secret", help: "The app's OAuth client secret (prefer the environment variable).",
            apply: { config, value throws(FieldProblem) in config.jobber.clientSecret = Secret(try value.nonEmptyText()) },
            show: { $0.jobber.clientSecret == nil ? "(not set)" : "(set, hidden)" }),
        ConfigField(
            key: "jobber.redirect_port", help: "Loopback port for the OAuth redirect.",
            apply: { config, value throws(FieldProblem) in
                guard case .integer(let port) = value, (1024...65535).contains(port) else {
                    if case .string(let text) = value, let port = Int(text), (1024...65535).contains(port) {
                        config.jobber.redirectPort = port
                        return
                    }
                    throw FieldProblem("must be a port number from 1024 to 65535")
                }
                config.jobber.redirectPort = port
            },
            show: { String($0.jobber.redirectPort) }),
        ConfigField(
            key: "logging.level", help: "trace, debug, info, notice, warning, error or critical.",
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText()
                guard let level = LogLevelName(rawValue: text.lowercased()) else {
                    throw FieldProblem(
                        "\"\(text)\" is not a log level; use one of \(LogLevelName.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                config.logLevel = level
            },
            show: { $0.logLevel.rawValue }),
        ConfigField(
            key: "recovery.not_found_after",
            help: "How long after sending a terminal's \"no record\" proves nothing was charged (\"15m\", \"300s\"; at least 3m).",
            apply: { config, value throws(FieldProblem) in
                let wait = try value.duration()
                guard wait >= RecoverySettings.notFoundFloor else {
                    throw FieldProblem(
                        "must be at least \(RecoverySettings.notFoundFloor.components.seconds / 60) minutes: a terminal may still be waiting for the card before that"
                    )
                }
                config.recovery.notFoundAfter = wait
            },
            show: { "\($0.recovery.notFoundAfter.components.seconds)s" }),
        ConfigField(
            key: "server.idle_timeout", help: "serve closes a connection without a whole request head after this long (\"10s\").",
            apply: { config, value throws(FieldProblem) in config.server.idleTimeout = try value.duration(atLeast: 1) },
            show: { "\($0.server.idleTimeout.components.seconds)s" }),
        ConfigField(
            key: "server.body_timeout", help: "serve answers 408 to a body that has not arrived after this long (\"5s\").",
            apply: { config, value throws(FieldProblem) in config.server.bodyTimeout = try value.duration(atLeast: 1) },
            show: { "\($0.server.bodyTimeout.components.seconds)s" }),
        ConfigField(
            key: "server.max_connections", help: "Connections serve holds at once (16 to 65536).",
            apply: { config, value throws(FieldProblem) in
                guard case .integer(let count) = value, (16...65_536).contains(count) else {
                    if case .string(let text) = value, let count = Int(text), (16...65_536).contains(count) {
                        config.server.maximumConnections = count
                        return
                    }
                    throw FieldProblem("must be a whole number from 16 to 65536")
                }
                config.server.maximumConnections = count
            },
            show: { String($0.server.maximumConnections) }),
        ConfigField(
            key: "server.tls_certificate", help: "PEM file of serve's TLS certificate chain (with server.tls_key: serve speaks HTTPS).",
            apply: { config, value throws(FieldProblem) in config.server.tlsCertificatePath = try value.nonEmptyText() },
            show: { $0.server.tlsCertificatePath ?? "(none)" }),
        ConfigField(
            key: "server.tls_key", help: "PEM file of the private key of server.tls_certificate (keep it readable by posplus only).",
            apply: { config, value throws(FieldProblem) in config.server.tlsKeyPath = try value.nonEmptyText() },
            show: { $0.server.tlsKeyPath ?? "(none)" }),
    ]
}

/// Why a value does not fit its setting; the loader adds the file and key.
struct FieldProblem: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

extension RawConfigValue {
    func nonEmptyText() throws(FieldProblem) -> String {
        guard case .string(let text) = self else { throw FieldProblem("must be a string, not \(typeName)") }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw FieldProblem("must not be empty") }
        return text
    }

    /// true or false (also as the strings "true"/"false", as environment variables are).
    func boolean() throws(FieldProblem) -> Bool {
        switch self {
        case .boolean(let flag): return flag
        case .string(let text) where ["true", "false"].contains(text.lowercased()): return text.lowercased() == "true"
        default: throw FieldProblem("must be true or false, not \(typeName)")
        }
    }

    /// A span of time: whole seconds as a number, or text with a unit ("90s", "15m", "2h").
    /// Bounded to a day, so no later arithmetic on it can overflow.
    func duration() throws(FieldProblem) -> Duration {
        let seconds: Int
        switch self {
        case .integer(let value): seconds = value
        case .string(let text):
            let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600]
            let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
            guard let last = trimmed.last, trimmed.count <= 8 else {
                throw FieldProblem("\"\(text)\" is not a duration like \"15m\" or \"300s\"")
            }
            let (digits, unit) = units[last].map { (trimmed.dropLast(), $0) } ?? (Substring(trimmed), 1)
            guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }), let number = Int(digits) else {
                throw FieldProblem("\"\(text)\" is not a duration like \"15m\" or \"300s\"")
            }
            seconds = number * unit  // at most 8 characters: cannot overflow
        default: throw FieldProblem("must be a duration such as \"15m\" or a number of seconds, not \(typeName)")
        }
        guard (0...86_400).contains(seconds) else { throw FieldProblem("must be between 0 seconds and a day") }
        return .seconds(seconds)
    }

    /// A duration of at least `seconds`.
    func duration(atLeast seconds: Int) throws(FieldProblem) -> Duration {
        let wait = try duration()
        guard wait >= .seconds(seconds) else { throw FieldProblem("must be at least \(seconds) seconds") }
        return wait
    }

    /// An http(s) URL.
    func url() throws(FieldProblem) -> String {
        let text = try nonEmptyText()
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw FieldProblem("\"\(URLCredentials.hidden(in: text))\" is not an http(s) URL")
        }
        return text
    }

    /// Money is written as a quoted decimal ("5000.00") or a whole number; never a float,
    /// which would already have been rounded by the TOML parser.
    func money(in currency: Currency) throws(FieldProblem) -> Money {
        let text: String
        switch self {
        case .string(let value): text = value
        case .integer(let value): text = String(value)
        case .float(let value):
            throw FieldProblem("write the amount in quotes, like \"\(value)\", so it is read exactly")
        default: throw FieldProblem("must be an amount in quotes such as \"25.00\", not \(typeName)")
        }
        let amount: Money
        do { amount = try Money(parsing: text, currency: currency) } catch { throw FieldProblem("\(error)") }
        guard amount.isPositive else { throw FieldProblem("must be more than zero") }
        return amount
    }
}

import Foundation
import Reconcile

/// How `posplus serve` runs reconcile on its own, and the windows the matcher allows.
public struct ReconcileSettings: Equatable, Sendable {
    /// How often serve runs it (at most once a day is what an office reads; less is allowed).
    public var every: Duration = .seconds(86_400)
    /// The local time of day the runs are counted from ("06:00": before the office opens).
    public var at = TimeOfDay(hour: 6, minute: 0)
    /// The business's time zone: when `at` is, and which day a payment counts on.
    public var timeZone = TimeZone(identifier: "UTC")!
    /// Whether serve's runs perform the safe actions (`--apply`) or only report.
    public var autoApply = false
    /// How many days a bank debit may clear before it is settled without a return.
    public var clearingDays = 5

    /// The matcher's rules with this business's windows.
    public var rules: ReconcileRules {
        var rules = ReconcileRules()
        rules.clearingWindow = .seconds(clearingDays * 86_400)
        rules.timeZone = timeZone
        return rules
    }

    public init() {}
}

/// A wall-clock time of day, "HH:MM".
public struct TimeOfDay: Equatable, Sendable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init(hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    /// "06:00", "23:59"; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }), let hour = Int(parts[0]),
            let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var description: String { String(format: "%02d:%02d", hour, minute) }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension ConfigField {
    static let reconcile: [ConfigField] = [
        ConfigField(
            key: "reconcile.every", help: "How often serve reconciles (\"24h\", \"6h\"; at least 1h).",
            apply: { config, value throws(FieldProblem) in config.reconcile.every = try value.duration(atLeast: 3_600) },
            show: { "\($0.reconcile.every.components.seconds / 3_600)h" }),
        ConfigField(
            key: "reconcile.at", help: "Local time serve's runs are counted from (\"06:00\").",
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText()
                guard let time = TimeOfDay(text) else { throw FieldProblem("\"\(text.prefix(20))\" is not a time like \"06:00\"") }
                config.reconcile.at = time
            },
            show: { $0.reconcile.at.description }),
        ConfigField(
            key: "reconcile.time_zone", help: "The business's time zone, an IANA name (\"America/Chicago\"; default UTC).",
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText()
                guard let zone = TimeZone(identifier: text) else {
                    throw FieldProblem("\"\(text.prefix(40))\" is not a time zone name like \"America/Chicago\"")
                }
                config.reconcile.timeZone = zone
            },
            show: { $0.reconcile.timeZone.identifier }),
        ConfigField(
            key: "reconcile.auto_apply", help: "Whether serve's runs perform the safe actions, as --apply does (default false).",
            apply: { config, value throws(FieldProblem) in config.reconcile.autoApply = try value.boolean() },
            show: { String($0.reconcile.autoApply) }),
        ConfigField(
            key: "reconcile.clearing_days", help: "Days a bank debit clears before it is settled with no return (1 to 30; default 5).",
            apply: { config, value throws(FieldProblem) in
                guard case .integer(let days) = value, (1...30).contains(days) else {
                    if case .string(let text) = value, let days = Int(text), (1...30).contains(days) {
                        config.reconcile.clearingDays = days
                        return
                    }
                    throw FieldProblem("must be a number of days from 1 to 30")
                }
                config.reconcile.clearingDays = days
            },
            show: { String($0.reconcile.clearingDays) }),
    ]
}

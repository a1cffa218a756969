import Foundation
import Receivables

/// The `[declines]` section: failed-payment recovery.
///
/// Why `declines` and not `recovery`: `recovery.not_found_after` already belongs to Recovery,
/// which settles payments whose answer was lost (ARCHITECTURE.md, the one path). A
/// `recovery.mode = off` would read as switching that safety off. And not `collections`: the
/// reminders and payment plans of issue 13 are collections too, with their own sections. This
/// section is about what happens after a decline, so it is named after the decline.
///
/// The business's time zone is not repeated here: the retry window is read in
/// `reconcile.time_zone`, the one zone the business already configures, so day and night
/// cannot disagree between reconcile and recovery.
public struct DeclineSettings: Equatable, Sendable {
    public var mode: AutomationMode = .off
    /// Retry days, window and email delay, already validated (time zone set by ``rules(in:)``).
    public var rules: RetryRules = .standard

    /// The rules in the business's time zone.
    public func rules(in zone: TimeZone) -> RetryRules { rules.inTimeZone(zone) }

    public init() {}
}

extension PosPlusConfig {
    /// The decline-recovery rules in the business's time zone (`reconcile.time_zone`).
    public var declineRules: RetryRules { declines.rules(in: reconcile.timeZone) }
}

extension ConfigField {
    static let declines: [ConfigField] = [
        ConfigField(
            key: "declines.mode",
            help: "After a decline: off, suggest (propose retries and links for a person to approve) or auto (carry them out).",
            apply: { config, value throws(FieldProblem) in config.declines.mode = try value.automationMode() },
            show: { $0.declines.mode.rawValue }),
        ConfigField(
            key: "declines.retry_days",
            help:
                "Days after a soft decline to charge the saved card again, rising (\"1,3,5\"; \"none\": never). Their count is the most tries.",
            apply: { config, value throws(FieldProblem) in
                let days = try value.retryDays()
                config.declines.rules = try rebuilt(config.declines.rules, retryDays: days)
            },
            show: { $0.declines.rules.retryDays.isEmpty ? "none" : $0.declines.rules.retryDays.map(String.init).joined(separator: ",") }),
        ConfigField(
            key: "declines.retry_window",
            help: "Local hours when a card may be charged again or a customer messaged (\"09:00-18:00\"; zone: reconcile.time_zone).",
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText()
                let window: LocalTimeWindow
                do throws(RetryRulesError) { window = try LocalTimeWindow(parsing: text) } catch { throw FieldProblem(error.description) }
                config.declines.rules = try rebuilt(config.declines.rules, window: window)
            },
            show: { $0.declines.rules.window.description }),
        ConfigField(
            key: "declines.email_after_days",
            help: "Days after the text before the payment link goes again by email, if still unpaid (1 to 30; default 2).",
            apply: { config, value throws(FieldProblem) in
                config.declines.rules = try rebuilt(config.declines.rules, emailAfterDays: try value.wholeNumber())
            },
            show: { String($0.declines.rules.emailAfterDays) }),
    ]

    /// The rules with one part replaced, checked again as a whole.
    private static func rebuilt(
        _ rules: RetryRules, retryDays: [Int]? = nil, window: LocalTimeWindow? = nil, emailAfterDays: Int? = nil
    ) throws(FieldProblem) -> RetryRules {
        do {
            return try RetryRules(
                retryDays: retryDays ?? rules.retryDays, window: window ?? rules.window, timeZone: rules.timeZone,
                emailAfterDays: emailAfterDays ?? rules.emailAfterDays)
        } catch { throw FieldProblem(error.description) }
    }
}

extension RawConfigValue {
    /// "1,3,5" (text, as an environment variable must be), a single number, or "none".
    fileprivate func retryDays() throws(FieldProblem) -> [Int] {
        switch self {
        case .integer(let day): return [day]
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased() == "none" { return [] }
            let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let days = parts.compactMap { Int($0) }
            guard trimmed.count <= 40, days.count == parts.count else {
                throw FieldProblem("\"\(text.prefix(40))\" is not a list of days like \"1,3,5\"")
            }
            return days
        default: throw FieldProblem("must be days in quotes like \"1,3,5\", not \(typeName)")
        }
    }

    /// A whole number, written as a number or as text (environment variables are text).
    fileprivate func wholeNumber() throws(FieldProblem) -> Int {
        switch self {
        case .integer(let number): return number
        case .string(let text):
            guard text.count <= 6, let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw FieldProblem("\"\(text.prefix(20))\" is not a whole number")
            }
            return number
        default: throw FieldProblem("must be a whole number, not \(typeName)")
        }
    }
}

import Foundation
import PosPlusCore
import Receivables

/// The `[reminders]` section: reminders of unpaid invoices (issue 13, part 6).
///
/// Like `[declines]`, the hours are read in `reconcile.time_zone`, the business's one zone.
public struct ReminderSettings: Equatable, Sendable {
    public var mode: AutomationMode = .off
    public var days: [Int] = ReminderRules.standard.days
    public var window: LocalTimeWindow = ReminderRules.standard.window
    /// Only balances up to this are reminded; nil: $1,000.00 in the business's currency.
    public var under: Money?

    public init() {}
}

extension PosPlusConfig {
    /// The reminder rules in the business's time zone and currency. The fields were checked one
    /// by one when read, so the rules they make are valid.
    public var reminderRules: ReminderRules {
        let limit = reminders.under ?? Money(minorUnits: 100_000, currency: currency)
        return (try? ReminderRules(days: reminders.days, window: reminders.window, timeZone: reconcile.timeZone, underOrAt: limit))
            ?? ReminderRules.standard.inTimeZone(reconcile.timeZone)
    }
}

extension ConfigField {
    static let reminders: [ConfigField] = [
        ConfigField(
            key: "reminders.mode",
            help: "Reminders of unpaid invoices: off, suggest (each waits for a person) or auto (a payment link is sent on its day).",
            apply: { config, value throws(FieldProblem) in config.reminders.mode = try value.automationMode() },
            show: { $0.reminders.mode.rawValue }),
        ConfigField(
            key: "reminders.days",
            help: "Days from the due date to remind on, rising (\"-3,0,7,14\": three days before, the day, a week and two late).",
            apply: { config, value throws(FieldProblem) in
                let days = try value.dayList()
                do throws(ReminderRulesError) {
                    _ = try ReminderRules(
                        days: days, window: config.reminders.window, timeZone: .gmt, underOrAt: Money(minorUnits: 1, currency: .usd))
                } catch { throw FieldProblem(error.description) }
                config.reminders.days = days
            },
            show: { $0.reminders.days.map(String.init).joined(separator: ",") }),
        ConfigField(
            key: "reminders.send_window",
            help: "Local hours reminders may go out; outside them is quiet (\"09:00-19:00\"; zone: reconcile.time_zone).",
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText()
                do throws(RetryRulesError) { config.reminders.window = try LocalTimeWindow(parsing: text) } catch {
                    throw FieldProblem(error.description)
                }
            },
            show: { $0.reminders.window.description }),
        ConfigField(
            key: "reminders.under",
            help: "Only invoices whose balance is at most this are reminded (\"1000.00\"; default 1000.00).",
            apply: { config, value throws(FieldProblem) in
                let limit = try value.money(in: config.currency)
                guard limit.isPositive else { throw FieldProblem("must be more than zero") }
                config.reminders.under = limit
            },
            show: { ($0.reminders.under ?? Money(minorUnits: 100_000, currency: $0.currency)).decimalText }),
    ]
}

extension RawConfigValue {
    /// "-3,0,7,14" (text, as an environment variable must be) or a single number.
    fileprivate func dayList() throws(FieldProblem) -> [Int] {
        switch self {
        case .integer(let day): return [day]
        case .string(let text):
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let days = parts.compactMap { Int($0) }
            guard text.count <= 60, !parts.isEmpty, days.count == parts.count else {
                throw FieldProblem("\"\(text.prefix(40))\" is not a list of days like \"-3,0,7,14\"")
            }
            return days
        default: throw FieldProblem("must be days in quotes like \"-3,0,7,14\", not \(typeName)")
        }
    }
}

import Foundation
import PosPlusCore
import Receivables

/// The `[plans]` section: payment plans on large invoices (issue 13, part 3).
///
/// What the modes mean for a plan — which is an agreement with the client, so posplus never
/// accepts one by itself in any mode:
/// - `off`: nothing is proposed and no plan can be accepted.
/// - `suggest`: posplus proposes options with their reason; staff accept one with the client,
///   and every accepted plan waits for a manager's approval before anything is scheduled.
/// - `auto`: as `suggest`, but a plan of at most `plans.approve_over` is scheduled on staff's
///   acceptance alone; a larger one waits for a manager.
public struct PlanSettings: Equatable, Sendable {
    public var mode: AutomationMode = .off
    /// A balance must be over this to be offered a plan; nil: $500.00 in the business currency.
    public var minimumAmount: Money?
    /// A plan over this total waits for a manager even in `auto`; nil: none does in `auto`.
    public var approveOver: Money?
    /// Calendar days between instalments.
    public var spacingDays = 14
    /// The deposit's share of the balance, in percent, in the deposit-and-rest option.
    public var depositPercent = 30

    public init() {}

    /// The proposal rules for a business in `currency` whose days are in `zone`.
    public func proposer(currency: Currency, timeZone zone: TimeZone) throws(PlanError) -> PlanProposer {
        var eligibility = PlanEligibility.standard(in: currency)
        if let minimumAmount { eligibility.minimumAmount = minimumAmount }
        return PlanProposer(
            eligibility: eligibility, calendar: try InstalmentCalendar(spacingDays: spacingDays, timeZone: zone),
            depositShare: try Proportion(percent: depositPercent))
    }

    /// Whether a plan of `total`, accepted by staff, must also wait for a manager.
    public func needsManager(_ total: Money) -> Bool {
        switch mode {
        case .off, .suggest: return true
        case .auto:
            guard let approveOver else { return false }
            return approveOver.currency != total.currency || total.minorUnits > approveOver.minorUnits
        }
    }
}

extension ConfigField {
    static let plans: [ConfigField] = [
        ConfigField(
            key: "plans.mode",
            help: "Payment plans: off, suggest (propose; a manager approves every plan) or auto (staff accept up to plans.approve_over).",
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText().lowercased()
                guard let mode = AutomationMode(rawValue: text) else {
                    throw FieldProblem("must be off, suggest or auto, not \"\(text.prefix(20))\"")
                }
                config.plans.mode = mode
            },
            show: { $0.plans.mode.rawValue }),
        ConfigField(
            key: "plans.min_amount", help: "A plan is proposed only for a balance over this amount (\"500.00\").",
            apply: { config, value throws(FieldProblem) in config.plans.minimumAmount = try value.money(in: config.currency) },
            show: { $0.plans.minimumAmount?.decimalText ?? "500.00" }),
        ConfigField(
            key: "plans.approve_over", help: "In auto mode, a plan over this total waits for a manager (\"2000.00\"; unset: none).",
            apply: { config, value throws(FieldProblem) in config.plans.approveOver = try value.money(in: config.currency) },
            show: { $0.plans.approveOver?.decimalText ?? "(none)" }),
        ConfigField(
            key: "plans.spacing_days", help: "Days between a plan's instalments (1 to 92; default 14).",
            apply: { config, value throws(FieldProblem) in
                let days = try value.planNumber()
                guard PlanLimits.spacingDays.contains(days) else { throw FieldProblem("must be from 1 to 92 days") }
                config.plans.spacingDays = days
            },
            show: { String($0.plans.spacingDays) }),
        ConfigField(
            key: "plans.deposit_percent", help: "The deposit's share of the balance in the deposit-and-rest option (1 to 99; default 30).",
            apply: { config, value throws(FieldProblem) in
                let percent = try value.planNumber()
                guard (1...99).contains(percent) else { throw FieldProblem("must be a percentage from 1 to 99") }
                config.plans.depositPercent = percent
            },
            show: { String($0.plans.depositPercent) }),
    ]
}

extension RawConfigValue {
    /// A whole number, written as a number or as text (environment variables are text).
    fileprivate func planNumber() throws(FieldProblem) -> Int {
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

import Foundation
import PosPlusCore
import Receivables

/// The `[risk]` section: risk holds on charges and payment links (issue 13, part 4).
///
/// The modes, in the order a business rolls them out:
/// - `off`: nothing is scored (the default);
/// - `suggest`: every charge or link with at least one signal waits for a manager, whatever its
///   score — a person decides everything the scorer flags, while the business learns what its
///   signals catch;
/// - `auto`: only a score at or above `risk.hold_at` waits; below it the charge goes ahead, and
///   the signals that fired are still written to the audit (`risk.score`).
public struct RiskSettings: Equatable, Sendable {
    public var mode: AutomationMode = .off
    /// The score at which `auto` holds (at least 1: a score of 0 means no signal fired).
    public var holdAt = 50
    /// The signals' limits and weights, already validated.
    public var rules = RiskRules()

    public init() {}

    /// Whether a request so assessed waits for a manager in this mode.
    public func holds(_ assessment: RiskAssessment) -> Bool {
        switch mode {
        case .off: false
        case .suggest: !assessment.signals.isEmpty
        case .auto: assessment.score >= holdAt
        }
    }
}

extension ConfigField {
    static let risk: [ConfigField] = [
        ConfigField(
            key: "risk.mode",
            help: "Risk holds on charges and links: off (not scored), suggest (any signal waits for a manager) or auto "
                + "(a score at or above risk.hold_at waits; below it the charge goes ahead, signals audited).",
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText().lowercased()
                guard let mode = AutomationMode(rawValue: text) else {
                    throw FieldProblem("must be off, suggest or auto, not \"\(text.prefix(20))\"")
                }
                config.risk.mode = mode
            },
            show: { $0.risk.mode.rawValue }),
        ConfigField(
            key: "risk.hold_at",
            help: "In auto mode, the score at which a charge or link waits for a manager (1 to 5000; default 50). "
                + "The score is the sum of the fired signals' weights.",
            apply: { config, value throws(FieldProblem) in config.risk.holdAt = try value.count(in: 1...5_000) },
            show: { String($0.risk.holdAt) }),
        ConfigField(
            key: "risk.new_client_over",
            help: "A client with no approved payment on record paying more than this is a signal (\"500.00\").",
            apply: { config, value throws(FieldProblem) in
                let minor = try value.money(in: config.currency).minorUnits
                try config.risk.update { $0.newClientLimitMinor = minor }
            },
            show: { Money(minorUnits: $0.risk.rules.newClientLimitMinor, currency: $0.currency).decimalText }),
        ConfigField(
            key: "risk.small_charge",
            help: "Card testing: a charge of at most this much is small (\"10.00\").",
            apply: { config, value throws(FieldProblem) in
                let minor = try value.money(in: config.currency).minorUnits
                try config.risk.update { $0.smallChargeMinor = minor }
            },
            show: { Money(minorUnits: $0.risk.rules.smallChargeMinor, currency: $0.currency).decimalText }),
        ConfigField(
            key: "risk.small_charge_count",
            help:
                "Card testing: this many small charges on one client (this one included) within the window is a signal (2 to 100; default 3).",
            apply: { config, value throws(FieldProblem) in
                let count = try value.count(in: 2...100)
                try config.risk.update { $0.smallChargeCount = count }
            },
            show: { String($0.risk.rules.smallChargeCount) }),
        ConfigField(
            key: "risk.small_charge_window",
            help: "Card testing: the window the small charges are counted in (\"10m\"; up to a day).",
            apply: { config, value throws(FieldProblem) in
                let window = try value.duration(atLeast: 1)
                try config.risk.update { $0.smallChargeWindow = window }
            },
            show: { "\($0.risk.rules.smallChargeWindow.components.seconds)s" }),
        ConfigField(
            key: "risk.keyed_over",
            help: "A sale keyed by hand on the terminal above this is a signal (\"300.00\").",
            apply: { config, value throws(FieldProblem) in
                let minor = try value.money(in: config.currency).minorUnits
                try config.risk.update { $0.keyedLimitMinor = minor }
            },
            show: { Money(minorUnits: $0.risk.rules.keyedLimitMinor, currency: $0.currency).decimalText }),
        ConfigField(
            key: "risk.declined_card_days",
            help:
                "A saved card whose brand and last four were declined on another client within this many days is a signal (1 to 90; default 3).",
            apply: { config, value throws(FieldProblem) in
                let days = try value.count(in: 1...90)
                try config.risk.update { $0.declinedCardLookback = .seconds(days * 86_400) }
            },
            show: { String($0.risk.rules.declinedCardLookback.components.seconds / 86_400) }),
        ConfigField(
            key: "risk.usual_multiple",
            help: "An amount this many times the median of the client's approved payments or more is a signal (2 to 100; default 3).",
            apply: { config, value throws(FieldProblem) in
                let multiple = try value.count(in: 2...100)
                try config.risk.update { $0.usualMultiple = Int64(multiple) }
            },
            show: { String($0.risk.rules.usualMultiple) }),
        ConfigField(
            key: "risk.usual_minimum_payments",
            help: "How many approved payments a client needs before \"far above usual\" is judged (1 to 50; default 3).",
            apply: { config, value throws(FieldProblem) in
                let count = try value.count(in: 1...RiskRules.usualSampleSize)
                try config.risk.update { $0.usualMinimumPayments = count }
            },
            show: { String($0.risk.rules.usualMinimumPayments) }),
        ConfigField(
            key: "risk.weights",
            help: "Points each signal adds, by name (\"new_client=40,card_testing=60,keyed_entry=30,card_declined_elsewhere=50,"
                + "above_usual=40\"; those left out keep theirs; 0 to 1000).",
            apply: { config, value throws(FieldProblem) in
                let weights = try value.weights(over: config.risk.rules.weights)
                try config.risk.update { $0.weights = weights }
            },
            show: { config in
                RiskSignal.Kind.allCases.map { "\($0.rawValue)=\(config.risk.rules.weights[$0])" }.joined(separator: ",")
            }),
    ]
}

extension RiskSettings {
    /// The rules with one change, checked again as a whole.
    fileprivate mutating func update(_ change: (inout RiskRules) throws(FieldProblem) -> Void) throws(FieldProblem) {
        var changed = rules
        try change(&changed)
        do { rules = try changed.validated() } catch { throw FieldProblem(error.description) }
    }
}

extension RawConfigValue {
    /// A whole number in `range`, written as a number or as text (environment variables are text).
    fileprivate func count(in range: ClosedRange<Int>) throws(FieldProblem) -> Int {
        let number: Int
        switch self {
        case .integer(let value): number = value
        case .string(let text):
            guard text.count <= 6, let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw FieldProblem("\"\(text.prefix(20))\" is not a whole number")
            }
            number = value
        default: throw FieldProblem("must be a whole number, not \(typeName)")
        }
        guard range.contains(number) else { throw FieldProblem("must be from \(range.lowerBound) to \(range.upperBound), not \(number)") }
        return number
    }

    /// "new_client=40,keyed_entry=0": the named weights replaced in `weights`.
    fileprivate func weights(over weights: RiskRules.Weights) throws(FieldProblem) -> RiskRules.Weights {
        let text = try nonEmptyText()
        guard text.count <= 200 else { throw FieldProblem("is too long for a list of weights") }
        var result = weights
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let kind = RiskSignal.Kind(rawValue: pair[0].lowercased()), let weight = Int(pair[1]),
                (0...RiskRules.maximumWeight).contains(weight)
            else {
                throw FieldProblem(
                    "\"\(part.prefix(40))\" is not NAME=POINTS (0 to \(RiskRules.maximumWeight)) with NAME one of "
                        + RiskSignal.Kind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            result[kind] = weight
        }
        return result
    }
}

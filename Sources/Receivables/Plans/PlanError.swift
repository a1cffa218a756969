import PosPlusCore

/// Why a plan cannot be built from the numbers given; each case names the number and the rule.
public enum PlanError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An amount to split must be more than zero.
    case notPositive(Money)
    /// Fewer than one or more than ``PlanLimits/maximumInstalments`` parts.
    case instalmentCount(Int)
    /// More instalments than there are cents to give each one.
    case tooFewCents(Money, count: Int)
    /// A share that is not a fraction between nothing and everything.
    case share(String)
    /// Days between instalments outside ``PlanLimits/spacingDays``.
    case spacing(Int)
    /// The calendar could not place a date (a time zone without that local day).
    case calendar(String)

    public var description: String {
        switch self {
        case .notPositive(let amount): "A plan splits an amount owed; \(amount.formatted) is not more than zero."
        case .instalmentCount(let count):
            "A plan has 1 to \(PlanLimits.maximumInstalments) instalments, not \(count)."
        case .tooFewCents(let amount, let count): "\(amount.formatted) cannot be split into \(count) instalments of at least one cent."
        case .share(let text): "The deposit share must be more than nothing and less than the whole (\(text))."
        case .spacing(let days):
            "Instalments are \(PlanLimits.spacingDays.lowerBound) to \(PlanLimits.spacingDays.upperBound) days apart, not \(days)."
        case .calendar(let what): "The calendar could not place \(what)."
        }
    }
}

/// Bounds that keep every later computation small: no instalment count or spacing read from a
/// config file or a request can make date or money arithmetic overflow.
public enum PlanLimits {
    public static let maximumInstalments = 12
    public static let spacingDays: ClosedRange<Int> = 1...92
}

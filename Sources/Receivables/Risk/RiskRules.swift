import Foundation

/// The limits and weights of the risk signals, checked once when built.
///
/// Amounts are minor units of the business's currency (`business.currency`): the defaults must
/// exist before any currency is known, and a business never mixes currencies (a request in
/// another currency is compared in its own minor units, which the scorer never has to do in
/// practice because every charge is in the business's currency).
///
/// The defaults are a cautious start, meant to be tuned: one strong sign (card testing, a card
/// declined on another client) holds on its own at the default `risk.hold_at` of 50; a weak one
/// (a new client, a keyed sale, an unusual amount) holds only together with another.
public struct RiskRules: Equatable, Sendable {
    /// A client with no approved payment on record asking to pay more than this ($500.00).
    public var newClientLimitMinor: Int64 = 50_000
    /// "Small" for card testing: at most this much ($10.00).
    public var smallChargeMinor: Int64 = 1_000
    /// Card testing: this many small charges on one client (this one included) …
    public var smallChargeCount = 3
    /// … within this long (10 minutes).
    public var smallChargeWindow: Duration = .seconds(600)
    /// A sale keyed by hand on the terminal above this ($300.00).
    public var keyedLimitMinor: Int64 = 30_000
    /// How far back a decline of the same card on another client counts (3 days).
    public var declinedCardLookback: Duration = .seconds(3 * 86_400)
    /// "Far above usual": at least this many times the median of the client's approved payments …
    public var usualMultiple: Int64 = 3
    /// … once the client has at least this many of them (fewer say little about "usual").
    public var usualMinimumPayments = 3
    /// What each signal adds to the score.
    public var weights = Weights()

    /// The points of each signal; the score is their sum.
    public struct Weights: Equatable, Sendable {
        public var newClient = 40
        public var cardTesting = 60
        public var keyedEntry = 30
        public var cardDeclinedElsewhere = 50
        public var aboveUsual = 40

        public init() {}

        public subscript(kind: RiskSignal.Kind) -> Int {
            get {
                switch kind {
                case .newClient: newClient
                case .cardTesting: cardTesting
                case .keyedEntry: keyedEntry
                case .cardDeclinedElsewhere: cardDeclinedElsewhere
                case .aboveUsual: aboveUsual
                }
            }
            set {
                switch kind {
                case .newClient: newClient = newValue
                case .cardTesting: cardTesting = newValue
                case .keyedEntry: keyedEntry = newValue
                case .cardDeclinedElsewhere: cardDeclinedElsewhere = newValue
                case .aboveUsual: aboveUsual = newValue
                }
            }
        }
    }

    /// The most clients' payments read for "usual": the newest ones say what usual is now.
    public static let usualSampleSize = 50
    /// The largest weight one signal may carry: keeps a sum of five far from overflow and a
    /// score readable.
    public static let maximumWeight = 1_000

    public init() {}

    /// Checks the numbers together, naming the first one that cannot work.
    public func validated() throws(RiskRulesError) -> RiskRules {
        for (name, minor) in [
            ("new-client limit", newClientLimitMinor), ("small-charge amount", smallChargeMinor),
            ("keyed limit", keyedLimitMinor),
        ]
        where minor < 0 {
            throw .negativeAmount(name)
        }
        guard (2...100).contains(smallChargeCount) else { throw .outOfRange("small-charge count", smallChargeCount, 2...100) }
        guard smallChargeWindow > .zero, smallChargeWindow <= .seconds(86_400) else { throw .windowOutOfRange("small-charge window") }
        guard declinedCardLookback > .zero, declinedCardLookback <= .seconds(90 * 86_400) else {
            throw .windowOutOfRange("declined-card lookback")
        }
        guard (2...100).contains(usualMultiple) else { throw .outOfRange("multiple of usual", Int(usualMultiple), 2...100) }
        guard (1...Self.usualSampleSize).contains(usualMinimumPayments) else {
            throw .outOfRange("payments needed for usual", usualMinimumPayments, 1...Self.usualSampleSize)
        }
        for kind in RiskSignal.Kind.allCases where !(0...Self.maximumWeight).contains(weights[kind]) {
            throw .outOfRange("weight of \(kind.rawValue)", weights[kind], 0...Self.maximumWeight)
        }
        return self
    }
}

/// Why a set of risk rules cannot be used.
public enum RiskRulesError: Error, Equatable, Sendable, CustomStringConvertible {
    case negativeAmount(String)
    case outOfRange(String, Int, ClosedRange<Int>)
    case windowOutOfRange(String)

    public var description: String {
        switch self {
        case .negativeAmount(let name): "the \(name) cannot be below zero"
        case .outOfRange(let name, let value, let range):
            "the \(name) must be from \(range.lowerBound) to \(range.upperBound), not \(value)"
        case .windowOutOfRange(let name):
            "the \(name) must be more than zero and at most "
                + (name.contains("lookback") ? "90 days" : "a day")
        }
    }
}

/// One sign that a charge or link may not be what it seems, with the sentence a manager reads.
public struct RiskSignal: Equatable, Sendable {
    /// The signals a request is scored on (issue 13, part 4). The raw value names the signal in
    /// the audit and in `risk.weights`.
    public enum Kind: String, CaseIterable, Equatable, Sendable {
        /// A client with no approved payment on record, asking for a large amount.
        case newClient = "new_client"
        /// Several small charges on one client in a short time: how stolen cards are tried out.
        case cardTesting = "card_testing"
        /// A card typed in by hand (no chip, no tap) above a limit.
        case keyedEntry = "keyed_entry"
        /// The same card (brand and last four, all the ledger keeps) declined recently on
        /// another client.
        case cardDeclinedElsewhere = "card_declined_elsewhere"
        /// An amount far above what the client usually pays.
        case aboveUsual = "above_usual"
    }

    public var kind: Kind
    /// The points it adds to the score.
    public var weight: Int
    /// Why it fired, with the numbers: "new client: no earlier payment on record, and $1,200.00
    /// is over the $500.00 new-client limit".
    public var sentence: String

    public init(kind: Kind, weight: Int, sentence: String) {
        self.kind = kind
        self.weight = weight
        self.sentence = sentence
    }
}

/// What the scorer found: the signals that fired and their summed weight.
public struct RiskAssessment: Equatable, Sendable {
    public var signals: [RiskSignal]

    public init(signals: [RiskSignal]) { self.signals = signals }

    /// The sum of the fired signals' weights (each at most ``RiskRules/maximumWeight``).
    public var score: Int { signals.reduce(0) { $0 + $1.weight } }

    /// The signals' sentences joined, as an approval's reason: "risk score 70: new client: …; keyed entry: …".
    public var reason: String {
        guard !signals.isEmpty else { return "risk score 0: no signal" }
        return "risk score \(score): " + signals.map(\.sentence).joined(separator: "; ")
    }

    /// The fired signals' names, for the audit ("new_client,keyed_entry").
    public var signalNames: String { signals.map(\.kind.rawValue).joined(separator: ",") }
}

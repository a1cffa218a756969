/// One decline's class and the reason behind it, as a manager reads it.
public struct DeclineClassification: Equatable, Sendable, Codable {
    public var reason: DeclineReason
    /// The code or text the class was read from, quoted in the explanation (`R01`,
    /// `insufficient_funds`, `DECLINE: LOST CARD`); empty when the source said nothing.
    public var evidence: String
    /// Where it came from, in words: "the terminal", "Stripe (saved card)", "the bank (ACH)".
    public var source: String

    public init(reason: DeclineReason, evidence: String, source: String) {
        self.reason = reason
        self.evidence = evidence
        self.source = source
    }

    public var severity: DeclineSeverity { reason.severity }

    /// False when no table knew the code: the class is the conservative default.
    public var recognized: Bool { reason != .unknown }

    /// "Soft decline: not enough money in the account right now (Stripe (saved card) said
    /// insufficient_funds)." An unknown code says it was unknown and why it is treated as hard.
    public var explanation: String {
        let quoted = evidence.isEmpty ? "" : " said \(evidence)"
        guard recognized else {
            return "Hard decline: \(source)\(quoted), a code posplus does not know; "
                + "treated as hard so the same card is not charged again."
        }
        let kind: String
        switch severity {
        case .soft: kind = "Soft decline"
        case .hard: kind = "Hard decline"
        case .checkFirst: kind = "Possible duplicate, not a decline"
        }
        return "\(kind): \(reason.plainWords) (\(source)\(quoted))."
    }
}

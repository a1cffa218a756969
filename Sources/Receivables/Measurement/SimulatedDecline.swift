import Foundation

/// One decline of the generated history, with what would have happened kept hidden.
///
/// The evaluator sees only what posplus would see (`evidence`, amount, time) and asks the
/// hidden part only when it acts: "the card is charged again on local day d: approved?" and
/// "has the customer paid through the link yet?". **This is a model, not data**: see
/// ``DeclineHistory`` for every assumption behind the hidden fields.
public struct SimulatedDecline: Equatable, Sendable {
    public var id: Int
    public var declinedAt: Date
    public var amountMinor: Int64
    /// What the processor or terminal reported, as posplus receives it.
    public var evidence: DeclineEvidence
    /// The true reason, which the evidence may hide (an unknown code).
    public var truth: DeclineReason
    /// Hidden: the local days after the decline on which charging the same card again is
    /// approved (`from..<until`: money arrives on payday and is spent again later); nil: never.
    public var sameCardRecovers: Range<Int>?
    /// Hidden: the local day after the decline on which the customer pays through the link,
    /// if one was sent and the invoice is still unpaid; nil: they never do.
    public var paysByLinkOnDay: Int?

    /// Whether charging the same card on local day `day` after the decline is approved.
    public func sameCardSucceeds(onDay day: Int) -> Bool {
        sameCardRecovers?.contains(day) ?? false
    }
}

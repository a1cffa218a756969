import PosPlusCore

/// Where a payment under way has got to, for the live status the counter page shows: sent,
/// then (on a terminal) waiting for the card once the terminal has taken the request, then the
/// recorded answer — or a failure before anything could move.
///
/// POSLink says nothing between the terminal taking a sale and its reply, so "waiting for the
/// card" covers the customer presenting it and the terminal asking the processor.
public struct PaymentProgress: Equatable, Sendable, Codable {
    public enum Stage: String, Equatable, Sendable, Codable {
        /// Recorded and on its way to the terminal or processor.
        case sent
        /// The terminal has the request and asks for the card.
        case waitingForCard
        /// The answer is recorded (`state` says which).
        case answered
        /// It could not be sent; nothing moved (`message` says why).
        case failed
    }

    public var idempotencyKey: String
    public var paymentID: Int64
    public var channel: String
    public var stage: Stage
    /// The payment's state once answered.
    public var state: PaymentState?
    /// The terminal's or processor's words (a decline's reason), or why it failed.
    public var message: String?

    public init(
        idempotencyKey: String, paymentID: Int64, channel: String, stage: Stage, state: PaymentState? = nil, message: String? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.paymentID = paymentID
        self.channel = channel
        self.stage = stage
        self.state = state
        self.message = message
    }

    /// Whether nothing follows this stage.
    public var isLast: Bool { stage == .answered || stage == .failed }
}

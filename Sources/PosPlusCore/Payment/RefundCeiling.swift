/// How much can still be refunded on a payment: captured minus every refund so far.
///
/// Refunding more than was captured is a real field failure (killbill#334); so is a ceiling
/// that ignores refunds made outside posplus (openfoodnetwork#5449). Callers that learn of
/// outside refunds (the processor's own numbers) fold them into `refunded` before checking.
public struct RefundCeiling: Equatable, Sendable {
    public let captured: Money
    public let refunded: Money

    public init(captured: Money, refunded: Money) {
        self.captured = captured
        self.refunded = refunded
    }

    /// What is left to refund; never negative.
    public var remaining: Money {
        let left = (try? captured - refunded) ?? .zero(captured.currency)
        return left.isNegative ? .zero(captured.currency) : left
    }

    /// Refuses a refund that is not positive, is in another currency, or exceeds ``remaining``.
    public func check(_ amount: Money) throws(PaymentTransitionError) {
        guard amount.currency == captured.currency else {
            throw .invalidAmount("A refund in \(amount.currency.code) cannot apply to a payment in \(captured.currency.code).")
        }
        guard amount.isPositive else {
            throw .invalidAmount("A refund must be more than zero, not \(amount.formatted).")
        }
        guard amount.minorUnits <= remaining.minorUnits else {
            throw .refundExceedsCeiling(requested: amount, remaining: remaining)
        }
    }
}

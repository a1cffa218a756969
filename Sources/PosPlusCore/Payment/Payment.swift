/// The money facts of one payment and the only code allowed to change its state.
///
/// A `Payment` is a value: ``applying(_:)`` returns the next value or throws
/// ``PaymentTransitionError`` and leaves the payment as it was. The ledger stores these
/// fields and calls ``applying(_:)`` inside the same write transaction that persists the
/// result, so two processes can never both refund the last dollar.
public struct Payment: Equatable, Sendable {
    public let operation: PaymentOperation
    /// What staff asked for.
    public let requested: Money
    public private(set) var state: PaymentState
    /// What the processor took (or gave back, for a refund row); zero until approved.
    public private(set) var captured: Money
    /// Sum of refunds applied to this payment so far.
    public private(set) var refunded: Money

    /// A new payment, recorded as an intent before anything is sent.
    /// - Throws: when the amount is negative, or zero for an operation that moves money.
    public init(operation: PaymentOperation, requested: Money) throws(PaymentTransitionError) {
        if operation == .tokenize {
            guard requested.isZero else {
                throw .invalidAmount("Saving a card charges nothing; the amount must be zero, not \(requested.formatted).")
            }
        } else if !requested.isPositive {
            throw .invalidAmount("\(operation.displayName) amount must be more than zero, not \(requested.formatted).")
        }
        self.operation = operation
        self.requested = requested
        self.state = .intended
        self.captured = .zero(requested.currency)
        self.refunded = .zero(requested.currency)
    }

    /// Rebuilds a payment from stored fields (the ledger), without re-running transitions.
    public init(restoring operation: PaymentOperation, requested: Money, state: PaymentState, captured: Money, refunded: Money) {
        self.operation = operation
        self.requested = requested
        self.state = state
        self.captured = captured
        self.refunded = refunded
    }

    /// Captured minus refunded: the most a new refund may be.
    public var refundCeiling: RefundCeiling { RefundCeiling(captured: captured, refunded: refunded) }

    /// What the customer still owes after a partial approval (zero otherwise).
    public var amountDue: Money {
        guard state == .partiallyApproved else { return .zero(requested.currency) }
        return (try? requested - captured) ?? .zero(requested.currency)
    }

    /// The payment after `event`, or an error naming why the event is not allowed now.
    public func applying(_ event: PaymentEvent) throws(PaymentTransitionError) -> Payment {
        var next = self
        switch (state, event) {
        case (.intended, .send):
            next.state = .sent
        case (.intended, .abandon):
            next.state = .abandoned

        case (.sent, .approve(let amount)), (.unknown, .approve(let amount)):
            // ACH is never "approved": it is pending until the bank settles it.
            guard operation.rail == .card else { throw illegal(event) }
            try requireFullCapture(amount)
            next.state = .approved
            next.captured = amount
        case (.sent, .partiallyApprove(let amount)), (.unknown, .partiallyApprove(let amount)):
            guard operation.rail == .card else { throw illegal(event) }
            try requirePartialCapture(amount)
            next.state = .partiallyApproved
            next.captured = amount
        case (.sent, .decline), (.unknown, .decline):
            next.state = .declined
        case (.sent, .lose):
            next.state = .unknown
        case (.sent, .notFound), (.unknown, .notFound):
            next.state = .intended
        case (.sent, .acceptPending(let amount)), (.unknown, .acceptPending(let amount)):
            guard operation.rail == .ach else { throw illegal(event) }
            try requireFullCapture(amount)
            next.state = .pending
            next.captured = amount

        case (.approved, .void), (.partiallyApproved, .void):
            guard operation.rail == .card else { throw illegal(event) }
            next.state = .voided
        case (.approved, .refund(let amount)), (.partiallyApproved, .refund(let amount)),
            (.partiallyRefunded, .refund(let amount)), (.settled, .refund(let amount)):
            // ACH money can be given back only once it has settled.
            let settledEnough = operation.rail == .card || state == .settled || state == .partiallyRefunded
            guard operation.collectsMoney, settledEnough else { throw illegal(event) }
            try refundCeiling.check(amount)
            next.refunded = try sum(refunded, amount)
            next.state = next.refundCeiling.remaining.isZero ? .refunded : .partiallyRefunded
        case (.approved, .settle), (.partiallyApproved, .settle), (.partiallyRefunded, .settle):
            guard operation.rail == .card else { throw illegal(event) }
            next.state = .settled
        case (.pending, .settle):
            guard operation.rail == .ach else { throw illegal(event) }
            next.state = .settled
        case (.pending, .bankReturn), (.settled, .bankReturn):
            guard operation.rail == .ach else { throw illegal(event) }
            next.state = .returned

        default:
            throw illegal(event)
        }
        return next
    }

    private func illegal(_ event: PaymentEvent) -> PaymentTransitionError {
        .illegal(from: state, event: event.name, operation: operation)
    }

    private func requireFullCapture(_ amount: Money) throws(PaymentTransitionError) {
        guard amount == requested else {
            throw .invalidAmount(
                "An approval must be for the \(requested.formatted) requested, not \(amount.formatted); a smaller amount is a partial approval."
            )
        }
    }

    private func requirePartialCapture(_ amount: Money) throws(PaymentTransitionError) {
        guard operation.collectsMoney, amount.currency == requested.currency,
            amount.isPositive, amount.minorUnits < requested.minorUnits
        else {
            throw .invalidAmount(
                "A partial approval must be more than zero and less than the \(requested.formatted) requested, not \(amount.formatted)."
            )
        }
    }

    private func sum(_ lhs: Money, _ rhs: Money) throws(PaymentTransitionError) -> Money {
        do { return try lhs + rhs } catch { throw .invalidAmount(error.description) }
    }
}

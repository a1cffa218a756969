/// Something that happened to a payment. ``Payment/applying(_:)`` decides whether it may.
public enum PaymentEvent: Equatable, Sendable {
    /// We are about to hand the request to the terminal or gateway (recorded before the I/O).
    case send
    /// Dropped before anything was sent: nothing was charged.
    case abandon
    /// The processor approved the full requested amount.
    case approve(captured: Money)
    /// The card covered only `captured`, less than requested; the rest is still due.
    case partiallyApprove(captured: Money)
    case decline
    /// Sent, but the answer was lost (timeout, disconnect, crash while waiting).
    case lose
    /// A lookup by reference proved the processor never saw it: safe to retry with a new reference.
    case notFound
    /// ACH accepted for processing: provisional until it settles.
    case acceptPending(amount: Money)
    case void
    /// Money given back on this payment; may happen several times up to the captured amount.
    case refund(Money)
    /// Funds settled (batch closed, ACH cleared).
    case settle
    /// The bank returned an ACH debit, possibly after it settled.
    case bankReturn

    /// A short name for error messages and the audit log.
    public var name: String {
        switch self {
        case .send: return "send"
        case .abandon: return "abandon"
        case .approve: return "approve"
        case .partiallyApprove: return "partially approve"
        case .decline: return "decline"
        case .lose: return "lose the answer"
        case .notFound: return "not found on lookup"
        case .acceptPending: return "accept as pending"
        case .void: return "void"
        case .refund: return "refund"
        case .settle: return "settle"
        case .bankReturn: return "bank return"
        }
    }
}

/// Why an event was refused. The payment is unchanged when one of these is thrown.
public enum PaymentTransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The event makes no sense in the payment's current state (void a declined sale, …).
    case illegal(from: PaymentState, event: String, operation: PaymentOperation)
    /// A refund larger than what is left to refund.
    case refundExceedsCeiling(requested: Money, remaining: Money)
    /// An amount that does not fit the event (zero capture, more than requested, wrong currency).
    case invalidAmount(String)

    public var description: String {
        switch self {
        case .illegal(let state, let event, let operation):
            return "Cannot \(event) a \(operation.displayName.lowercased()) that is \(state.rawValue)."
        case .refundExceedsCeiling(let requested, let remaining):
            return "Cannot refund \(requested.formatted): only \(remaining.formatted) is left to refund on this payment."
        case .invalidAmount(let reason):
            return reason
        }
    }
}

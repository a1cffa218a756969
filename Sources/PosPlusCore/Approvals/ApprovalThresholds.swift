/// What makes a request wait for a manager (issue 12, part 4): a business sets the limits it
/// wants in config, and each one left unset never holds anything.
///
/// The rules are plain comparisons so that the reason shown to staff ("refund of $250.00 is over
/// the $200.00 that needs a manager") is the whole explanation.
public struct ApprovalThresholds: Equatable, Sendable {
    /// A refund above this waits.
    public var refundOver: Money?
    /// A void of a payment taken longer ago than this waits.
    public var voidOlderThan: Duration?
    /// A sale keyed on the terminal (card not present at the counter) above this waits.
    public var keyedOver: Money?
    /// A payment link asking for more than this waits: a link is money asked of a customer by
    /// someone in the field, out of the office's sight, so a large one gets a second pair of eyes.
    public var linkOver: Money?

    public init(refundOver: Money? = nil, voidOlderThan: Duration? = nil, keyedOver: Money? = nil, linkOver: Money? = nil) {
        self.refundOver = refundOver
        self.voidOlderThan = voidOlderThan
        self.keyedOver = keyedOver
        self.linkOver = linkOver
    }

    /// A request that may need approval, with what the rules look at.
    public enum Request: Equatable, Sendable {
        case refund(Money)
        case void(paymentAge: Duration)
        case keyedSale(Money)
        case link(Money)
    }

    /// Why `request` needs a manager, or nil when it may go ahead.
    public func reason(for request: Request) -> String? {
        switch request {
        case .refund(let amount): return Self.over(refundOver, amount, what: "refund")
        case .keyedSale(let amount): return Self.over(keyedOver, amount, what: "keyed sale")
        case .link(let amount): return Self.over(linkOver, amount, what: "payment link")
        case .void(let age):
            guard let limit = voidOlderThan, age > limit else { return nil }
            return "a void of a payment taken \(Self.hours(age)) ago is past the \(Self.hours(limit)) after which a manager approves"
        }
    }

    private static func over(_ limit: Money?, _ amount: Money, what: String) -> String? {
        guard let limit else { return nil }
        guard amount.currency == limit.currency else {
            return "a \(what) in \(amount.currency.code) cannot be compared with the \(limit.formatted) limit, so a manager approves it"
        }
        guard amount.minorUnits > limit.minorUnits else { return nil }
        return "a \(what) of \(amount.formatted) is over the \(limit.formatted) that needs a manager"
    }

    private static func hours(_ duration: Duration) -> String {
        let minutes = duration.components.seconds / 60
        return minutes % 60 == 0 ? "\(minutes / 60)h" : "\(minutes / 60)h \(minutes % 60)m"
    }
}

/// An exact amount of money: integer minor units (cents) plus an ISO 4217 currency.
///
/// Never a `Double`: binary floating point cannot hold 4.60 exactly, and a terminal once
/// charged 460 EUR instead of 4.60 EUR because of it. Arithmetic is checked (an overflow
/// throws instead of wrapping) and refuses to mix currencies. Amounts may be negative
/// (a balance owed back, a refund total), but text parsing rejects `"-0"` as ambiguous.
///
/// ```swift
/// let price = try Money(parsing: "4.60", currency: .usd)   // 460 minor units
/// let total = try price + Money(minorUnits: 40, currency: .usd)
/// total.formatted                                          // "$5.00"
/// ```
public struct Money: Hashable, Sendable, Codable {
    /// The amount in the currency's minor unit (cents for USD).
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    public var isPositive: Bool { minorUnits > 0 }
    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }

    // MARK: Checked arithmetic

    /// The sum, or an error if the currencies differ or the sum overflows.
    public static func + (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        try lhs.requireSameCurrency(as: rhs)
        let (sum, overflow) = lhs.minorUnits.addingReportingOverflow(rhs.minorUnits)
        guard !overflow else { throw .overflow(operation: "sum") }
        return Money(minorUnits: sum, currency: lhs.currency)
    }

    /// The difference, or an error if the currencies differ or it overflows.
    public static func - (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        try lhs.requireSameCurrency(as: rhs)
        let (difference, overflow) = lhs.minorUnits.subtractingReportingOverflow(rhs.minorUnits)
        guard !overflow else { throw .overflow(operation: "difference") }
        return Money(minorUnits: difference, currency: lhs.currency)
    }

    /// The amount times a whole number, or an error if it overflows.
    public static func * (lhs: Money, factor: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = lhs.minorUnits.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .overflow(operation: "product") }
        return Money(minorUnits: product, currency: lhs.currency)
    }

    /// The amount with its sign flipped (`Int64.min` cannot be negated, so that throws).
    public func negated() throws(MoneyError) -> Money {
        guard minorUnits != .min else { throw .overflow(operation: "negation") }
        return Money(minorUnits: -minorUnits, currency: currency)
    }

    /// Sums amounts that must all be in `currency`.
    public static func sum(_ amounts: some Sequence<Money>, in currency: Currency) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total + amount }
        return total
    }

    // MARK: Comparison

    /// Orders two amounts of the same currency. `Money` is deliberately not `Comparable`:
    /// comparing dollars with yen must be an error, not a silent `false`.
    public func compare(to other: Money) throws(MoneyError) -> ComparisonResult {
        try requireSameCurrency(as: other)
        if minorUnits < other.minorUnits { return .less }
        if minorUnits > other.minorUnits { return .greater }
        return .equal
    }

    public func isGreater(than other: Money) throws(MoneyError) -> Bool { try compare(to: other) == .greater }
    public func isLess(than other: Money) throws(MoneyError) -> Bool { try compare(to: other) == .less }

    /// The smaller of two amounts in one currency.
    public static func min(_ lhs: Money, _ rhs: Money) throws(MoneyError) -> Money {
        try lhs.isLess(than: rhs) ? lhs : rhs
    }

    public func requireSameCurrency(as other: Money) throws(MoneyError) {
        guard currency == other.currency else {
            throw .currencyMismatch(currency.code, other.currency.code)
        }
    }

    /// The result of ordering two amounts.
    public enum ComparisonResult: Sendable { case less, equal, greater }

    // MARK: Codable: {"minorUnits": 460, "currency": "USD"}

    private enum CodingKeys: String, CodingKey { case minorUnits, currency }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        minorUnits = try container.decode(Int64.self, forKey: .minorUnits)
        currency = try Currency(code: try container.decode(String.self, forKey: .currency))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(minorUnits, forKey: .minorUnits)
        try container.encode(currency.code, forKey: .currency)
    }
}

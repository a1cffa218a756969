/// An ISO 4217 currency, with the number of digits its minor unit has.
///
/// Only currencies in ``Currency/known`` can be built: a typo such as `"USS"` in a config file
/// or a processor reply must fail loudly instead of becoming a currency nobody can pay in.
/// The exponent matters for exactness: `"4.60"` is 460 cents in USD but 4.60 is not a
/// valid amount of JPY, which has no minor unit.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three-letter ISO 4217 code, upper case (`"USD"`).
    public let code: String
    /// Digits after the decimal point in the currency's minor unit (2 for USD, 0 for JPY).
    public let minorUnitDigits: Int
    /// The symbol front-desk staff expect to read (`"$"`, `"CA$"`).
    public let symbol: String

    private init(code: String, minorUnitDigits: Int, symbol: String) {
        self.code = code
        self.minorUnitDigits = minorUnitDigits
        self.symbol = symbol
    }

    /// Looks a currency up by its ISO code, in any letter case.
    /// - Throws: ``MoneyError/unknownCurrency(_:)`` for a code posplus does not know.
    public init(code: String) throws(MoneyError) {
        guard let known = Currency.known[code.uppercased()] else {
            throw .unknownCurrency(code)
        }
        self = known
    }

    public var description: String { code }

    public static let usd = Currency(code: "USD", minorUnitDigits: 2, symbol: "$")
    public static let cad = Currency(code: "CAD", minorUnitDigits: 2, symbol: "CA$")
    public static let eur = Currency(code: "EUR", minorUnitDigits: 2, symbol: "€")
    public static let gbp = Currency(code: "GBP", minorUnitDigits: 2, symbol: "£")
    public static let aud = Currency(code: "AUD", minorUnitDigits: 2, symbol: "A$")
    public static let nzd = Currency(code: "NZD", minorUnitDigits: 2, symbol: "NZ$")
    public static let jpy = Currency(code: "JPY", minorUnitDigits: 0, symbol: "¥")

    /// The currencies Jobber accounts and our processors use. Extend with care: the exponent
    /// must be the ISO 4217 one, or every amount in that currency is off by a power of ten.
    public static let known: [String: Currency] = Dictionary(
        uniqueKeysWithValues: [usd, cad, eur, gbp, aud, nzd, jpy].map { ($0.code, $0) }
    )

    /// 10 to the power of ``minorUnitDigits``: minor units in one major unit.
    public var minorUnitsPerMajor: Int64 {
        var result: Int64 = 1
        for _ in 0..<minorUnitDigits { result *= 10 }
        return result
    }
}

/// Why an amount could not be built or combined. Each case carries what was wrong, and the
/// description is a sentence staff can act on.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not a plain decimal amount (`"12,00"`, `"1e3"`, `""`, `"-0"`).
    case malformedAmount(text: String, reason: String)
    /// More decimal places than the currency has (`"4.605"` in USD), so it cannot be exact.
    case tooManyDecimalPlaces(text: String, currency: String, allowed: Int)
    /// The amount does not fit in 64-bit minor units.
    case outOfRange(text: String)
    /// Arithmetic would have overflowed; the result is refused rather than wrapped.
    case overflow(operation: String)
    /// Two amounts in different currencies were combined or compared.
    case currencyMismatch(String, String)
    /// An ISO 4217 code posplus does not know.
    case unknownCurrency(String)

    public var description: String {
        switch self {
        case .malformedAmount(let text, let reason):
            return "\"\(text)\" is not an amount: \(reason). Write it like 1234.50."
        case .tooManyDecimalPlaces(let text, let currency, let allowed):
            return "\"\(text)\" has more than \(allowed) decimal places, which \(currency) does not allow."
        case .outOfRange(let text):
            return "\"\(text)\" is too large to be an amount."
        case .overflow(let operation):
            return "The \(operation) of these amounts is too large to represent."
        case .currencyMismatch(let left, let right):
            return "Cannot combine an amount in \(left) with one in \(right)."
        case .unknownCurrency(let code):
            return "\"\(code)\" is not a currency posplus knows (use an ISO 4217 code such as USD or CAD)."
        }
    }
}

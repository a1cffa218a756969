import HTTPClient
import PosPlusCore

/// Jobber's money fields (dollars as JSON numbers) read exactly into ``Money``.
public enum JobberMoney {
    /// Reads a money field. `field` names it in the error ("invoice.amounts.total").
    /// Refuses exponents and more decimal places than the currency has: Jobber never sends
    /// them for real amounts, so one that appears is a sign of a broken reply, not a price.
    public static func read(_ value: JSONValue?, field: String, currency: Currency) throws(JobberError) -> Money {
        guard let value, let text = value.numberText else {
            throw .malformedResponse("\(field) must be a number, not \(value.map(\.serialized) ?? "missing")")
        }
        do { return try Money(parsing: text, currency: currency) } catch { throw .malformedResponse("\(field): \(error.description)") }
    }
}

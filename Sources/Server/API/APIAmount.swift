import Bridge
import PosPlusCore

/// An amount in a request: `{"minorUnits": 12345, "currency": "USD"}`, or the same as exact
/// decimal text, `{"decimal": "123.45", "currency": "USD"}` — never a JSON float, which cannot
/// hold 4.60 exactly. The currency must be the business's: a terminal set up for dollars must
/// never be handed an amount someone meant in euros.
struct APIAmount: Decodable, Sendable {
    var minorUnits: Int64?
    var decimal: String?
    var currency: String

    enum CodingKeys: String, CodingKey { case minorUnits, decimal, currency }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownFields(["minorUnits", "decimal", "currency"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // 12.5, "12", 1e30: not whole minor units. (Foundation throws its own error type here,
        // not a DecodingError, so every error is caught.)
        do { minorUnits = try container.decodeIfPresent(Int64.self, forKey: .minorUnits) } catch {
            throw APIError(
                .badRequest, code: "invalid_amount",
                message:
                    "\"minorUnits\" must be a whole number of minor units (1234 for 12.34); send exact decimal text as \"decimal\" instead."
            )
        }
        decimal = try container.decodeIfPresent(String.self, forKey: .decimal)
        currency = try container.decode(String.self, forKey: .currency)
    }

    /// The amount, exactly, in `business` currency; a 400 naming what is wrong otherwise.
    func money(in business: Currency) throws -> Money {
        let given: Currency
        do { given = try Currency(code: currency.uppercased()) } catch {
            throw APIError(.badRequest, code: "invalid_currency", message: error.description)
        }
        guard given == business else {
            throw APIError(
                .badRequest, code: "invalid_currency",
                message: "This business takes payments in \(business.code), not \(given.code); send the amount in \(business.code).")
        }
        let money: Money
        switch (minorUnits, decimal) {
        case (let minor?, nil): money = Money(minorUnits: minor, currency: business)
        case (nil, let text?):
            do { money = try Money(parsing: text, currency: business) } catch {
                throw APIError(.badRequest, code: "invalid_amount", message: error.description)
            }
        default:
            throw APIError(
                .badRequest, code: "invalid_amount",
                message:
                    "Give the amount once: as \"minorUnits\" (1234 for \(Money(minorUnits: 1234, currency: business).formatted)) or as \"decimal\" text (\"12.34\")."
            )
        }
        guard money.isPositive else {
            throw APIError(.badRequest, code: "invalid_amount", message: "The amount must be more than zero, not \(money.formatted).")
        }
        return money
    }
}

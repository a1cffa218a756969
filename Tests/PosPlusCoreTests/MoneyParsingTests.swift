import Foundation
import PosPlusCore
import PropertyBased
import Testing

@Suite("Money: exact parsing and formatting")
struct MoneyParsingTests {
    @Test(
        "decimal text becomes exact minor units",
        arguments: [
            ("4.60", 460), ("4.6", 460), ("1234.5", 123_450), ("1234.56", 123_456), ("0.1", 10), ("0", 0),
            ("0.01", 1), ("999999.99", 99_999_999), ("-12", -1200), ("-0.01", -1), ("4.600", 460), ("007.50", 750),
        ] as [(String, Int64)])
    func parsesExactly(text: String, minorUnits: Int64) throws {
        #expect(try Money(parsing: text, currency: .usd).minorUnits == minorUnits)
    }

    /// The float bug from the field (odoo PR#56459): 4.60 must be 460, never 460.00000000005 or 459.
    @Test func fourSixtyIsFourHundredSixtyCents() throws {
        let amount = try Money(parsing: "4.60", currency: .usd)
        #expect(amount.minorUnits == 460)
        #expect(amount.formatted == "$4.60")
    }

    @Test(
        "malformed text is refused with its reason",
        arguments: [
            ("", "empty"), ("1e3", "exponent"), ("-0", "negative zero"), ("-0.00", "negative zero"), ("12,00", "comma"),
            (" 4.60", "white space"), ("4.60 ", "white space"), ("+4", "sign"), ("4.", "no digits after"), (".5", "where a digit"),
            ("$4.60", "'$'"), ("4-2", "sign"), ("1.2.3", "decimal point"), ("abc", "'a'"), ("--1", "sign"),
        ])
    func refusesMalformed(text: String, reasonFragment: String) throws {
        #expect {
            try Money(parsing: text, currency: .usd)
        } throws: { error in
            guard case .malformedAmount(let bad, let reason) = error as? MoneyError else { return false }
            return bad == text && reason.contains(reasonFragment)
        }
    }

    @Test func refusesMoreDecimalsThanTheCurrencyHas() throws {
        #expect(throws: MoneyError.tooManyDecimalPlaces(text: "4.605", currency: "USD", allowed: 2)) {
            try Money(parsing: "4.605", currency: .usd)
        }
        #expect(throws: MoneyError.tooManyDecimalPlaces(text: "0.0000001", currency: "USD", allowed: 2)) {
            try Money(parsing: "0.0000001", currency: .usd)
        }
        #expect(throws: MoneyError.tooManyDecimalPlaces(text: "5.5", currency: "JPY", allowed: 0)) {
            try Money(parsing: "5.5", currency: .jpy)
        }
    }

    @Test func refusesAmountsBeyondSixtyFourBits() throws {
        #expect(throws: MoneyError.outOfRange(text: "92233720368547758.08")) {
            try Money(parsing: "92233720368547758.08", currency: .usd)
        }
        #expect(try Money(parsing: "92233720368547758.07", currency: .usd).minorUnits == .max)
    }

    @Test(
        "formatting reads as staff expect",
        arguments: [
            (123_450, "$1,234.50"), (460, "$4.60"), (5, "$0.05"), (0, "$0.00"), (-460, "-$4.60"),
            (100_000_000, "$1,000,000.00"), (99_999, "$999.99"),
        ] as [(Int64, String)])
    func formats(minorUnits: Int64, text: String) throws {
        #expect(Money(minorUnits: minorUnits, currency: .usd).formatted == text)
    }

    @Test func formatsOtherCurrencies() throws {
        #expect(Money(minorUnits: 1235, currency: .jpy).formatted == "¥1,235")
        #expect(Money(minorUnits: 1235, currency: .cad).formatted == "CA$12.35")
        #expect(Money(minorUnits: .min, currency: .usd).decimalText == "-92233720368547758.08")
    }

    @Test func errorsReadAsSentences() throws {
        let error = MoneyError.malformedAmount(text: "12,00", reason: "it contains a comma")
        #expect(error.description == "\"12,00\" is not an amount: it contains a comma. Write it like 1234.50.")
    }

    // MARK: Properties over many generated amounts

    @Test func minorUnitsSurviveTextRoundTrip() async {
        await propertyCheck(count: 2000, input: Gen.int64(in: .min ... .max)) { minor in
            let money = Money(minorUnits: minor, currency: .usd)
            let reparsed = try Money(parsing: money.decimalText, currency: .usd)
            #expect(reparsed == money)
        }
    }

    @Test func dollarsAndCentsTextMapsToExactMinorUnits() async {
        await propertyCheck(count: 2000, input: Gen.int64(in: 0...9_999_999_999), Gen.int64(in: 0...99)) { dollars, cents in
            let text = "\(dollars)." + (cents < 10 ? "0" : "") + "\(cents)"
            let money = try Money(parsing: text, currency: .usd)
            #expect(money.minorUnits == dollars * 100 + cents)
            #expect(money.decimalText == text)
        }
    }

    @Test func generatedGarbageNeverParsesToSomethingElse() async {
        let characters = Gen.character(in: " "..."~").string(of: 0...12)
        await propertyCheck(count: 2000, input: characters) { text in
            if let money = try? Money(parsing: text, currency: .usd) {
                // Anything accepted must mean exactly what it says: re-reading its canonical form agrees.
                let reparsed = try Money(parsing: money.decimalText, currency: .usd)
                #expect(reparsed == money)
                #expect(text.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" })
            }
        }
    }

    @Test func currenciesAreLookedUpByCode() throws {
        #expect(try Currency(code: "usd") == .usd)
        #expect(throws: MoneyError.unknownCurrency("USS")) { try Currency(code: "USS") }
    }
}

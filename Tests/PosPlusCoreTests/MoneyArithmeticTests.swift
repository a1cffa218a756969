import Foundation
import PosPlusCore
import PropertyBased
import Testing

@Suite("Money: checked arithmetic")
struct MoneyArithmeticTests {
    let usd = Currency.usd

    @Test func addsAndSubtractsInOneCurrency() throws {
        let a = Money(minorUnits: 460, currency: usd)
        let b = Money(minorUnits: 540, currency: usd)
        #expect(try a + b == Money(minorUnits: 1000, currency: usd))
        #expect(try a - b == Money(minorUnits: -80, currency: usd))
        #expect(try a * 3 == Money(minorUnits: 1380, currency: usd))
        #expect(try Money.sum([a, b, a], in: usd) == Money(minorUnits: 1460, currency: usd))
    }

    @Test func overflowIsAnErrorNeverAWrap() throws {
        let big = Money(minorUnits: .max, currency: usd)
        let small = Money(minorUnits: .min, currency: usd)
        #expect(throws: MoneyError.overflow(operation: "sum")) { try big + Money(minorUnits: 1, currency: usd) }
        #expect(throws: MoneyError.overflow(operation: "difference")) { try small - Money(minorUnits: 1, currency: usd) }
        #expect(throws: MoneyError.overflow(operation: "product")) { try big * 2 }
        #expect(throws: MoneyError.overflow(operation: "negation")) { try small.negated() }
    }

    @Test func currenciesNeverMix() throws {
        let dollars = Money(minorUnits: 100, currency: .usd)
        let loonies = Money(minorUnits: 100, currency: .cad)
        #expect(throws: MoneyError.currencyMismatch("USD", "CAD")) { try dollars + loonies }
        #expect(throws: MoneyError.currencyMismatch("USD", "CAD")) { try dollars - loonies }
        #expect(throws: MoneyError.currencyMismatch("USD", "CAD")) { try dollars.isLess(than: loonies) }
    }

    @Test func comparesWithinACurrency() throws {
        let a = Money(minorUnits: 1, currency: usd)
        let b = Money(minorUnits: 2, currency: usd)
        #expect(try a.isLess(than: b))
        #expect(try b.isGreater(than: a))
        #expect(try Money.min(a, b) == a)
        #expect(try a.compare(to: a) == .equal)
    }

    @Test func additionAgreesWithIntegerArithmeticOrThrows() async {
        await propertyCheck(count: 1000, input: Gen.int64(in: .min ... .max), Gen.int64(in: .min ... .max)) { x, y in
            let (expected, overflow) = x.addingReportingOverflow(y)
            let result = try? Money(minorUnits: x, currency: .usd) + Money(minorUnits: y, currency: .usd)
            #expect(result?.minorUnits == (overflow ? nil : expected))
        }
    }

    @Test func codableCarriesMinorUnitsAndCode() throws {
        let money = Money(minorUnits: 460, currency: .usd)
        let data = try JSONEncoder().encode(money)
        #expect(String(decoding: data, as: UTF8.self).contains("\"minorUnits\":460"))
        #expect(try JSONDecoder().decode(Money.self, from: data) == money)
    }
}

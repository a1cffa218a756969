import Foundation
import PosPlusCore
import Testing

@Suite("Currency: written and read as its ISO code")
struct CurrencyCodingTests {
    struct Holder: Codable, Equatable {
        var currency: Currency
    }

    @Test func aCurrencyIsWrittenAsItsBareCode() throws {
        let json = String(decoding: try JSONEncoder().encode(Holder(currency: .cad)), as: UTF8.self)
        #expect(json == #"{"currency":"CAD"}"#)
    }

    @Test func aCodeIsReadBackInAnyLetterCase() throws {
        #expect(try JSONDecoder().decode(Holder.self, from: Data(#"{"currency":"jpy"}"#.utf8)) == Holder(currency: .jpy))
    }

    @Test func anUnknownCodeFailsToDecodeNamingTheCode() {
        #expect {
            _ = try JSONDecoder().decode(Holder.self, from: Data(#"{"currency":"USS"}"#.utf8))
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription.contains("\"USS\"") && context.underlyingError as? MoneyError == .unknownCurrency("USS")
        }
    }
}

import HTTPClient
import Jobber
import PosPlusCore
import PropertyBased
import Testing

@Suite("Exact JSON and Jobber money")
struct ExactJSONTests {
    @Test func numbersKeepTheirText() throws {
        let json = try JSONValue.parse(Array(#"{"amounts":{"total":4.6,"balance":1234.56,"tiny":1e-7,"int":12},"s":"a\"b\u00e9"}"#.utf8))
        #expect(json["amounts"]?["total"]?.numberText == "4.6")
        #expect(json["amounts"]?["tiny"]?.numberText == "1e-7")
        #expect(json["amounts"]?["int"]?.int == 12)
        #expect(json["s"]?.string == "a\"bé")
    }

    @Test(
        "Jobber dollars become exact cents",
        arguments: [("0.1", 10), ("4.6", 460), ("1234.56", 123_456), ("999999.99", 99_999_999), ("100.0", 10_000), ("0", 0)]
            as [(String, Int64)])
    func moneyIsExact(text: String, cents: Int64) throws {
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(try JobberMoney.read(value, field: "total", currency: .usd).minorUnits == cents)
    }

    @Test(arguments: ["1e-7", "4.605", "\"4.60\"", "null", "1E3"])
    func unreadableMoneyIsRefusedWithTheField(text: String) throws {
        let value = try JSONValue.parse(Array(text.utf8))
        #expect {
            try JobberMoney.read(value, field: "invoice.amounts.total", currency: .usd)
        } throws: { "\($0)".contains("invoice.amounts.total") }
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":01}", "\"unterminated", "{\"a\" 1}", "nul", "1.", "-", "[1] x", "\"\\ud800\""])
    func malformedJSONIsRefusedWithAnOffset(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(deep.utf8)) }
    }

    @Test func anyCentAmountSurvivesJSONText() async {
        await propertyCheck(count: 2000, input: Gen.int64(in: 0...99_999_999_999)) { cents in
            let money = Money(minorUnits: cents, currency: .usd)
            let value = try JSONValue.parse(Array(money.decimalText.utf8))
            let read = try JobberMoney.read(value, field: "x", currency: .usd)
            #expect(read == money)
        }
    }

    @Test func garbageNeverCrashesTheParser() async {
        await propertyCheck(count: 3000, input: Gen<UInt8>.value(in: 0...255).array(of: 0...64)) { bytes in
            if let value = try? JSONValue.parse(bytes) {
                let again = try JSONValue.parse(Array(value.serialized.utf8))
                #expect(again == value)
            }
        }
    }
}

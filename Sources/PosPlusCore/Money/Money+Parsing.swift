extension Money {
    /// Parses exact decimal text such as `"4.60"`, `"1234.5"` or `"-12"` into minor units.
    ///
    /// The grammar is deliberately narrow: an optional `-`, one or more ASCII digits, and
    /// optionally a `.` followed by one or more digits. Exponents (`"1e3"`), thousands
    /// separators or decimal commas (`"12,00"`), signs other than a leading `-`, spaces,
    /// currency symbols and negative zero (`"-0"`) are refused with the reason. Digits past the
    /// currency's minor unit are accepted only when they are zeros (`"4.600"` is exactly 460
    /// cents); `"4.605"` is refused because it cannot be represented exactly.
    ///
    /// This is how posplus reads Jobber's JSON numbers: from their text, never via `Double`.
    public init(parsing text: String, currency: Currency) throws(MoneyError) {
        self = try DecimalAmountParser(text: text, currency: currency).parse()
    }
}

/// The scanner behind ``Money/init(parsing:currency:)``, kept apart so each refusal has one
/// place that names it.
private struct DecimalAmountParser {
    let text: String
    let currency: Currency

    func parse() throws(MoneyError) -> Money {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { throw malformed("it is empty") }

        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }

        let integerDigits = bytes.prefix { isDigit($0) }
        bytes = bytes.dropFirst(integerDigits.count)
        guard !integerDigits.isEmpty else {
            throw malformed(bytes.first.map { "it has \(describe($0)) where a digit belongs" } ?? "it has no digits")
        }

        var fractionDigits: ArraySlice<UInt8> = []
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fractionDigits = bytes.prefix { isDigit($0) }
            bytes = bytes.dropFirst(fractionDigits.count)
            guard !fractionDigits.isEmpty else { throw malformed("it has no digits after the decimal point") }
        }
        if let stray = bytes.first { throw malformed("it contains \(describe(stray))") }

        let allowed = currency.minorUnitDigits
        if fractionDigits.count > allowed && fractionDigits.dropFirst(allowed).contains(where: { $0 != UInt8(ascii: "0") }) {
            throw .tooManyDecimalPlaces(text: text, currency: currency.code, allowed: allowed)
        }
        var minorDigits = Array(integerDigits) + Array(fractionDigits.prefix(allowed))
        minorDigits += Array(repeating: UInt8(ascii: "0"), count: allowed - min(allowed, fractionDigits.count))

        var magnitude: Int64 = 0
        for digit in minorDigits {
            let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflowA && !overflowB else { throw .outOfRange(text: text) }
            magnitude = next
        }
        if negative && magnitude == 0 { throw malformed("negative zero is not an amount") }
        return Money(minorUnits: negative ? -magnitude : magnitude, currency: currency)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func malformed(_ reason: String) -> MoneyError { .malformedAmount(text: text, reason: reason) }

    private func describe(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: ","): return "a comma (use a point for decimals and no thousands separators)"
        case UInt8(ascii: "e"), UInt8(ascii: "E"): return "an exponent"
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return "a sign in the wrong place"
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"): return "white space"
        case UInt8(ascii: "."): return "a decimal point in the wrong place"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default: return "a character that is not a digit"
        }
    }
}

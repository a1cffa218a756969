extension Money {
    /// The amount as staff read it: symbol, thousands separators, exact minor digits
    /// (`"$1,234.50"`, `"-$4.60"`, `"¥1,235"`).
    public var formatted: String {
        let (whole, fraction) = splitDigits()
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        let sign = minorUnits < 0 ? "-" : ""
        return sign + currency.symbol + grouped + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Plain decimal text with exactly the currency's minor digits and no symbol (`"1234.50"`),
    /// the form ``init(parsing:currency:)`` reads back to the same value.
    public var decimalText: String {
        let (whole, fraction) = splitDigits()
        return (minorUnits < 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Whole and fractional digits of the magnitude, computed on the unsigned value so that
    /// `Int64.min` formats correctly too.
    private func splitDigits() -> (whole: String, fraction: String) {
        let magnitude = minorUnits.magnitude
        let perMajor = UInt64(currency.minorUnitsPerMajor)
        let whole = String(magnitude / perMajor)
        guard currency.minorUnitDigits > 0 else { return (whole, "") }
        let fraction = String(magnitude % perMajor)
        let padded = String(repeating: "0", count: currency.minorUnitDigits - fraction.count) + fraction
        return (whole, padded)
    }
}

extension Money: CustomStringConvertible {
    /// Same as ``formatted``, plus the ISO code when the symbol alone could be ambiguous.
    public var description: String { formatted + " " + currency.code }
}

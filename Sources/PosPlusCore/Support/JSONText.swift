/// JSON string literals, written one way everywhere posplus builds JSON by hand (the audit
/// chain's canonical detail, exact-number JSON): the escaping must never differ, because a
/// hash is computed over the result.
public enum JSONText {
    /// `text` as a JSON string literal, with the escapes RFC 8259 requires.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

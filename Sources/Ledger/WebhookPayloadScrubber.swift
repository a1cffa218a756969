import PosPlusCore

/// Masks card-number-like text inside a webhook's JSON body before it is stored, and nothing
/// else, so the stored body stays valid JSON that processing can still read.
///
/// Why not redact the whole body (as earlier versions did): a customer who types
/// "4242 4242 4242 4242" as their name on Stripe's checkout page made the stored event
/// unreadable, and a paid link went unrecorded. Redaction must never be why a payment is lost.
///
/// The body is walked token by token, not parsed into a tree: everything outside the masked
/// tokens is kept byte for byte (key order, numbers' exact text, ids). Inside a string, only the
/// card-like runs of digits are masked, keeping their last four (which the ledger may hold).
/// A string whose card number hides in `\u0034`-style escapes is checked in its decoded form,
/// so escaping cannot smuggle a number past the screen. A bare number that is card-like becomes
/// a masked string. A body that is not JSON at all still has its card-like runs masked in place.
enum WebhookPayloadScrubber {
    static func scrub(_ payload: String) -> String {
        guard CardNumberScreen.containsCardNumber(payload) || payload.utf8.contains(UInt8(ascii: "\\")) else { return payload }
        let bytes = Array(payload.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let end = endOfString(bytes, from: index)
                let token = bytes[index..<end]
                output += scrubString(token)
                index = end
            } else if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                var end = index + 1
                while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
                let text = String(decoding: bytes[index..<end], as: UTF8.self)
                output += CardNumberScreen.containsCardNumber(text) ? Array(JSONText.quote(maskCardRuns(text)).utf8) : Array(text.utf8)
                index = end
            } else {
                output.append(byte)
                index += 1
            }
        }
        let scrubbed = String(decoding: output, as: UTF8.self)
        // Belt and braces: whatever the walk missed (a body that is not JSON), mask in place.
        return CardNumberScreen.containsCardNumber(scrubbed) ? maskCardRuns(scrubbed) : scrubbed
    }

    /// Masks the digits of every run that looks like a card number, except its last four.
    /// A run is what ``CardNumberScreen`` looks at: digits joined by single separators.
    static func maskCardRuns(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        var start = 0
        while start < scalars.count {
            guard isDigit(scalars[start]) else {
                start += 1
                continue
            }
            var end = start + 1
            while end < scalars.count {
                if isDigit(scalars[end]) {
                    end += 1
                } else if isSeparator(scalars[end]), end + 1 < scalars.count, isDigit(scalars[end + 1]) {
                    end += 2
                } else {
                    break
                }
            }
            var run = String.UnicodeScalarView()
            run.append(contentsOf: scalars[start..<end])
            if CardNumberScreen.containsCardNumber(String(run)) {
                let digitPositions = (start..<end).filter { isDigit(scalars[$0]) }
                for position in digitPositions.dropLast(4) { scalars[position] = "*" }
            }
            start = end
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// A string token, quotes included: kept as it was unless its decoded text holds a card number.
    private static func scrubString(_ token: ArraySlice<UInt8>) -> [UInt8] {
        let raw = String(decoding: token, as: UTF8.self)
        guard let decoded = decodeString(token) else {
            return Array(maskCardRuns(raw).utf8)  // unterminated or odd escapes: mask the raw text
        }
        guard CardNumberScreen.containsCardNumber(decoded) else { return Array(token) }
        return Array(JSONText.quote(maskCardRuns(decoded)).utf8)
    }

    /// The index just past the closing quote of the string starting at `start` (or the end).
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return bytes.count
    }

    /// The text of a complete string token, escapes decoded; nil if it is not one.
    private static func decodeString(_ token: ArraySlice<UInt8>) -> String? {
        guard token.count >= 2, token.last == UInt8(ascii: "\"") else { return nil }
        let body = Array(token.dropFirst().dropLast())
        guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
        var units: [UInt16] = []
        var index = 0
        let text = Array(String(decoding: body, as: UTF8.self).utf16)
        while index < text.count {
            guard text[index] == UInt16(UInt8(ascii: "\\")) else {
                units.append(text[index])
                index += 1
                continue
            }
            guard index + 1 < text.count else { return nil }
            let escape = text[index + 1]
            index += 2
            switch UInt8(truncatingIfNeeded: escape) {
            case UInt8(ascii: "u"):
                guard index + 4 <= text.count,
                    let unit = UInt16(
                        String(decoding: text[index..<index + 4].map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self), radix: 16)
                else { return nil }
                units.append(unit)
                index += 4
            case UInt8(ascii: "n"): units.append(0x0A)
            case UInt8(ascii: "t"): units.append(0x09)
            case UInt8(ascii: "r"): units.append(0x0D)
            case UInt8(ascii: "b"): units.append(0x08)
            case UInt8(ascii: "f"): units.append(0x0C)
            default: units.append(escape)  // \" \\ \/
            }
        }
        return String(decoding: units, as: UTF16.self)
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(byte)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool { CardNumberScreen.isSeparator(scalar) }
}

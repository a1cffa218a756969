/// A parsed `Stripe-Signature` header: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`.
///
/// Every number in it comes from outside, so it is read strictly and never with trapping
/// arithmetic: `t` is 1 to 12 ASCII digits (no sign, no spaces inside; Stripe sends ten), which
/// keeps every later sum far inside `Int64`. A header made to crash the service
/// (`t=-9223372036854775808`, once an overflow in the age check) is refused as malformed before
/// any HMAC is computed. At most ``maximumSignatures`` `v1` values are accepted: each costs an
/// HMAC over the whole body, and a header stuffed with thousands would make one request cost
/// thousands. `v1` values of the wrong length are ignored, as Stripe's libraries do.
///
/// No imports, on purpose: `make fuzz` compiles this file directly into a libFuzzer target.
/// Source: https://docs.stripe.com/webhooks#verify-manually
struct StripeSignatureHeader: Equatable, Sendable {
    /// Seconds since 1970, as signed.
    var timestamp: Int64
    /// The `v1` HMAC-SHA256 values, 32 bytes each, in header order.
    var signatures: [[UInt8]]

    /// More `v1` values than this is not a rotation but an attempt to make verification costly.
    static let maximumSignatures = 8
    /// Digits in the longest `t` accepted: year 33658, and no sum with it can overflow.
    static let maximumTimestampDigits = 12

    init(_ header: String) throws(StripeWebhookError) {
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in Array(header.utf8).split(separator: UInt8(ascii: ",")) {
            guard let equals = part.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = Self.trimmed(part[part.startIndex..<equals])
            let value = Self.trimmed(part[(equals + 1)...])
            if name.elementsEqual("t".utf8) {
                guard timestamp == nil, let seconds = Self.seconds(value) else { throw .malformedSignature }
                timestamp = seconds
            } else if name.elementsEqual("v1".utf8), let mac = Self.sha256Hex(value) {
                guard signatures.count < Self.maximumSignatures else { throw .malformedSignature }
                signatures.append(mac)
            }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformedSignature }
        self.timestamp = timestamp
        self.signatures = signatures
    }

    /// What the HMAC covers: `"<t>.<raw body>"`.
    func signedPayload(body: [UInt8]) -> [UInt8] {
        Array("\(timestamp).".utf8) + body
    }

    /// Throws ``StripeWebhookError/stale(age:)`` unless `t` is within `tolerance` seconds of
    /// `now`, either way: a timestamp far in the future is no more trustworthy than an old one.
    /// Checked arithmetic throughout: `now` and `tolerance` may be anything.
    func checkFreshness(now: Int64, tolerance: Int64) throws(StripeWebhookError) {
        let (age, overflow) = now.subtractingReportingOverflow(timestamp)
        guard !overflow else { throw .stale(age: now < timestamp ? Int.min : Int.max) }
        guard age.magnitude <= max(tolerance, 0).magnitude else { throw .stale(age: Int(truncatingIfNeeded: age)) }
    }

    /// Whole seconds of `interval`, clamped into `Int64` (NaN counts as no time at all), so a
    /// clock or tolerance of any value converts without trapping.
    static func wholeSeconds(_ interval: Double) -> Int64 {
        if interval.isNaN { return 0 }
        if interval >= 9_223_372_036_854_775_807.0 { return .max }  // 2^63 and beyond
        if interval < -9_223_372_036_854_775_808.0 { return .min }
        return Int64(interval.rounded(.down))
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else {
            return []
        }
        return bytes[first...last]
    }

    private static func seconds(_ digits: ArraySlice<UInt8>) -> Int64? {
        guard (1...maximumTimestampDigits).contains(digits.count) else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))  // ≤ 12 digits: cannot overflow
        }
        return value
    }

    /// 64 hex digits as 32 bytes, or nil.
    private static func sha256Hex(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = text.startIndex
        while index < text.endIndex {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

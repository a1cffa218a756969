// libFuzzer target for the Stripe webhook check (`make fuzz`).
//
// Built directly from Sources/Gateway/Stripe/StripeWebhookError.swift, StripeSignatureHeader.swift
// and StripeEvent.swift (with the JSON reader as a small module), so it needs no Crypto: the
// HMAC is a stand-in that says yes, which lets the fuzzer reach the steps after a signature
// matches (the age check that once overflowed, the body). Input: 8 bytes of "now", 8 of
// tolerance, then the header, a newline, and the body.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 16 else { return 0 }
    let now = bytes[0..<8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
    let tolerance = bytes[8..<16].reduce(Int64(0)) { $0 << 8 | Int64($1) }
    let rest = bytes[16...]
    let newline = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
    let header = String(decoding: rest[rest.startIndex..<newline], as: UTF8.self)
    let body = Array(rest[newline...].dropFirst())

    // The header alone: what parses renders back to itself.
    if let parsed = try? StripeSignatureHeader(header) {
        precondition(parsed.timestamp >= 0, "a negative t was accepted")
        precondition((1...StripeSignatureHeader.maximumSignatures).contains(parsed.signatures.count), "too many or no v1 values")
        precondition(parsed.signatures.allSatisfy { $0.count == 32 }, "a v1 that is not 32 bytes was kept")
        let rendered = "t=\(parsed.timestamp)," + parsed.signatures.map { "v1=" + hex($0) }.joined(separator: ",")
        precondition((try? StripeSignatureHeader(rendered)) == parsed, "a parsed header does not survive rendering")
    }

    // Signed (stand-in MAC): never a crash; an event only if the time is within the tolerance.
    var checks = 0
    do {
        let event = try StripeEvent.verified(body: body, header: header, now: now, tolerance: tolerance) { _, _ in
            checks += 1
            return true
        }
        let timestamp = try StripeSignatureHeader(header).timestamp
        let (age, overflow) = now.subtractingReportingOverflow(timestamp)
        precondition(!overflow && age.magnitude <= UInt64(max(tolerance, 0)), "an event outside the tolerance was accepted")
        _ = (event.id, event.type, event.created, event.object)
    } catch {
        _ = error.description
    }
    precondition(checks <= 1, "the stand-in MAC said yes, yet more were checked")

    // Unsigned: never an event, at most one MAC per v1 allowed.
    checks = 0
    let forged = try? StripeEvent.verified(body: body, header: header, now: now, tolerance: tolerance) { _, _ in
        checks += 1
        return false
    }
    precondition(forged == nil, "an event was accepted without a matching signature")
    precondition(checks <= StripeSignatureHeader.maximumSignatures, "more HMACs than the cap were computed")
    return 0
}

private func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
}

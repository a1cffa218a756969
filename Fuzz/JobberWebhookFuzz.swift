// libFuzzer target for the Jobber webhook check (`make fuzz`).
//
// Built directly from Sources/Jobber/JobberWebhookProblem.swift and JobberWebhookEvent.swift
// (with the JSON reader as a small module), so it needs no Crypto: the HMAC is a stand-in, so
// the fuzzer reaches the reading of a signed body, where a forgery never gets. Input: the
// X-Jobber-Hmac-SHA256 value, a newline, and the body.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
    let signature = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = Array(bytes[newline...].dropFirst())

    // Signed (stand-in MAC): never a crash; an event has every field, and only 32-byte MACs are checked.
    do {
        let event = try JobberWebhookEvent.verified(body: body, signature: signature) { mac, _ in
            precondition(mac.count == 32, "a MAC that is not 32 bytes was checked")
            return true
        }
        for field in [event.rawTopic, event.appID, event.accountID, event.itemID, event.occurredAt] {
            precondition(!field.isEmpty, "an event with an empty field was accepted")
        }
        precondition(event.deduplicationKey.hasPrefix(event.rawTopic + "|"), "the de-duplication key lost the topic")
    } catch {
        _ = error.description
    }

    // Unsigned: never an event, and always refused as unauthenticated (a 401, never a 400).
    do {
        _ = try JobberWebhookEvent.verified(body: body, signature: signature) { _, _ in false }
        preconditionFailure("an event was accepted without a matching signature")
    } catch {
        precondition(error.isUnauthenticated, "a forgery was refused as a bad body")
    }
    return 0
}

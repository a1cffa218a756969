import Foundation
import HTTPClient

/// A verified Stripe event: what happened, to which object.
public struct StripeEvent: Equatable, Sendable {
    /// `evt_…`: the de-duplication key (Stripe delivers at least once).
    public var id: String
    /// `payment_intent.succeeded`, `checkout.session.completed`, …
    public var type: String
    public var created: Date
    /// `data.object`.
    public var object: JSONValue
}

extension StripeEvent {
    /// Every step of checking a delivery except the HMAC itself, in the order that matters:
    /// the header is parsed strictly first, `isAuthentic` decides whether any `v1` matches the
    /// signed payload, only then is the time checked (so an unsigned request learns nothing
    /// about our clock) and the body read.
    ///
    /// The HMAC is passed in so that this file needs only Foundation and the JSON reader:
    /// `make fuzz` compiles it with a stand-in MAC and so reaches the steps after a signature
    /// matches, where a forged request never gets.
    static func verified(
        body: [UInt8], header: String?, now: Int64, tolerance: Int64,
        isAuthentic: (_ mac: [UInt8], _ signedPayload: [UInt8]) -> Bool
    ) throws(StripeWebhookError) -> StripeEvent {
        guard let header, !header.isEmpty else { throw .missingSignature }
        let signature = try StripeSignatureHeader(header)
        let signed = signature.signedPayload(body: body)
        guard signature.signatures.contains(where: { isAuthentic($0, signed) }) else { throw .noMatchingSignature }
        try signature.checkFreshness(now: now, tolerance: tolerance)
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch { throw .malformedBody("\(error.reason) at byte \(error.offset)") }
        guard let id = json["id"]?.string, let type = json["type"]?.string, let object = json["data"]?["object"] else {
            throw .malformedBody("id, type or data.object is missing")
        }
        // `created` is Stripe's; an absent or unreadable one falls back to the signed time.
        let created = json["created"]?.numberText.flatMap { Int64($0) } ?? signature.timestamp
        return StripeEvent(id: id, type: type, created: Date(timeIntervalSince1970: TimeInterval(created)), object: object)
    }
}

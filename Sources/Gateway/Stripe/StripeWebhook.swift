import Crypto
import Foundation
import HTTPClient
import PosPlusCore

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

/// Why a webhook was refused; never quotes the body.
public enum StripeWebhookError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingSignature
    case malformedSignature
    case noMatchingSignature
    case stale(age: Int)
    case malformedBody(String)

    public var description: String {
        switch self {
        case .missingSignature: return "no Stripe-Signature header"
        case .malformedSignature: return "the Stripe-Signature header has no t= and v1= values"
        case .noMatchingSignature: return "no v1 signature matches the body (forged, altered, or signed with another secret)"
        case .stale(let age): return "the signature is \(age) s old, beyond the tolerance (a replay?)"
        case .malformedBody(let reason): return "the body is not a Stripe event: \(reason)"
        }
    }
}

/// Checks `Stripe-Signature` (`t=<unix>,v1=<hex>[,v1=…]`): HMAC-SHA256 with the endpoint secret
/// over `"<t>.<raw body>"`, any `v1` may match (several appear while a secret rotates), compared
/// in constant time, and `t` within the tolerance of now (300 s, as Stripe's libraries).
public struct StripeWebhookVerifier: Sendable {
    private let secret: Secret<[UInt8]>
    public let tolerance: TimeInterval
    private let now: @Sendable () -> Date

    public init(endpointSecret: Secret<String>, tolerance: TimeInterval = 300, now: @escaping @Sendable () -> Date = Date.init) {
        secret = Secret(Array(endpointSecret.expose().utf8))
        self.tolerance = tolerance
        self.now = now
    }

    public func verify(body: [UInt8], signature header: String?) throws(StripeWebhookError) -> StripeEvent {
        guard let header, !header.isEmpty else { throw .missingSignature }
        var timestamp: Int?
        var candidates: [Data] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1", let mac = Self.hexBytes(pair[1]), mac.count == SHA256.byteCount { candidates.append(mac) }
        }
        guard let timestamp, !candidates.isEmpty else { throw .malformedSignature }
        let signed = Data("\(timestamp).".utf8) + Data(body)
        let key = SymmetricKey(data: secret.expose())
        guard candidates.contains(where: { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: signed, using: key) }) else {
            throw .noMatchingSignature
        }
        let age = Int(now().timeIntervalSince1970) - timestamp
        guard Double(age) <= tolerance else { throw .stale(age: age) }
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch { throw .malformedBody("\(error.reason) at byte \(error.offset)") }
        guard let id = json["id"]?.string, let type = json["type"]?.string, let object = json["data"]?["object"] else {
            throw .malformedBody("id, type or data.object is missing")
        }
        let created = json["created"]?.numberText.flatMap(Int.init) ?? timestamp
        return StripeEvent(id: id, type: type, created: Date(timeIntervalSince1970: TimeInterval(created)), object: object)
    }

    /// The header Stripe would send for `body` at `time` (simulator and tests).
    public func signatureHeader(for body: [UInt8], at time: Date) -> String {
        let timestamp = Int(time.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + Data(body), using: SymmetricKey(data: secret.expose()))
        return "t=\(timestamp),v1=" + Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    static func hexBytes(_ text: String) -> Data? {
        guard text.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

import Crypto
import Foundation
import HTTPClient
import PosPlusCore

/// Checks `Stripe-Signature` (`t=<unix>,v1=<hex>[,v1=…]`): HMAC-SHA256 with the endpoint secret
/// over `"<t>.<raw body>"`, any `v1` may match (several appear while a secret rotates), compared
/// in constant time, and `t` within the tolerance of now (300 s, as Stripe's libraries; unlike
/// them, a `t` that far in the future is refused too). The header is parsed by
/// ``StripeSignatureHeader`` and the steps run in ``StripeEvent/verified(body:header:now:tolerance:isAuthentic:)``,
/// both free of Crypto so the fuzzer reaches them; this type adds only the key and the clock.
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
        let key = SymmetricKey(data: secret.expose())
        return try StripeEvent.verified(
            body: body, header: header, now: StripeSignatureHeader.wholeSeconds(now().timeIntervalSince1970),
            tolerance: StripeSignatureHeader.wholeSeconds(tolerance)
        ) { mac, signed in HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key) }
    }

    /// The header Stripe would send for `body` at `time` (simulator and tests).
    public func signatureHeader(for body: [UInt8], at time: Date) -> String {
        let timestamp = StripeSignatureHeader.wholeSeconds(time.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + Data(body), using: SymmetricKey(data: secret.expose()))
        return "t=\(timestamp),v1=" + Data(mac).map { String(format: "%02x", $0) }.joined()
    }
}

import Crypto
import Foundation
import PosPlusCore

/// Checks `X-Jobber-Hmac-SHA256` — Base64(HMAC-SHA256(client secret, raw body)) — in constant
/// time, then reads the event. Verification uses the raw bytes as received: re-encoding the
/// JSON first (as Jobber's own sample does) breaks on any difference in spacing or order.
public struct JobberWebhookVerifier: Sendable {
    private let secret: Secret<[UInt8]>

    public init(clientSecret: Secret<String>) {
        secret = Secret(Array(clientSecret.expose().utf8))
    }

    /// Built per call: `SymmetricKey` is not Sendable, and the secret should live in one place.
    private var key: SymmetricKey { SymmetricKey(data: secret.expose()) }

    /// The event, or ``JobberError/invalidWebhook(_:)`` naming what was wrong — never quoting
    /// the body, which an attacker controls.
    public func verify(body: [UInt8], signature: String?) throws(JobberError) -> JobberWebhookEvent {
        let key = key
        do {
            return try JobberWebhookEvent.verified(body: body, signature: signature) { mac, body in
                HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key)
            }
        } catch {
            throw .invalidWebhook(error)
        }
    }

    /// The header value Jobber would send for `body` (for the simulator and tests).
    public func signature(for body: [UInt8]) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(body), using: key)).base64EncodedString()
    }
}

import Crypto
import Foundation
import HTTPClient
import PosPlusCore

/// One webhook from Jobber, after its signature checked out.
///
/// The body carries only ids; the handler re-reads the record. Delivery is at least once and
/// there is no event id, so ``deduplicationKey`` is (topic, account, item, time).
public struct JobberWebhookEvent: Equatable, Sendable {
    public enum Topic: Equatable, Sendable {
        case invoiceUpdate
        case paymentCreate
        case paymentUpdate
        case paymentDestroy
        case appDisconnect
        /// Any other topic: acknowledged and ignored.
        case other(String)

        init(_ raw: String) {
            switch raw {
            case "INVOICE_UPDATE": self = .invoiceUpdate
            case "PAYMENT_CREATE": self = .paymentCreate
            case "PAYMENT_UPDATE": self = .paymentUpdate
            case "PAYMENT_DESTROY": self = .paymentDestroy
            case "APP_DISCONNECT": self = .appDisconnect
            default: self = .other(raw)
            }
        }
    }

    public var topic: Topic
    public var rawTopic: String
    public var appID: String
    public var accountID: String
    public var itemID: String
    public var occurredAt: String

    /// The same event delivered twice has the same key.
    public var deduplicationKey: String { [rawTopic, accountID, itemID, occurredAt].joined(separator: "|") }
}

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
        guard let signature, !signature.isEmpty else { throw .invalidWebhook(.missingSignature) }
        guard let mac = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)), mac.count == SHA256.byteCount else {
            throw .invalidWebhook(.malformedSignature)
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(body), using: key) else {
            throw .invalidWebhook(.signatureMismatch)
        }
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch {
            throw .invalidWebhook(.malformedBody("the body is not JSON (\(error.reason) at byte \(error.offset))"))
        }
        guard let event = json["data"]?["webHookEvent"] else { throw .invalidWebhook(.malformedBody("no data.webHookEvent in the body")) }
        func field(_ name: String, or alternative: String? = nil) throws(JobberError) -> String {
            if let value = event[name]?.string, !value.isEmpty { return value }
            if let alternative, let value = event[alternative]?.string, !value.isEmpty { return value }
            throw .invalidWebhook(.malformedBody("webHookEvent.\(name) is missing"))
        }
        let topic = try field("topic")
        return JobberWebhookEvent(
            topic: .init(topic), rawTopic: topic, appID: try field("appId"), accountID: try field("accountId"), itemID: try field("itemId"),
            occurredAt: try field("occurredAt", or: "occuredAt"))  // apps before 2023-12-08 get the misspelling
    }

    /// The header value Jobber would send for `body` (for the simulator and tests).
    public func signature(for body: [UInt8]) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(body), using: key)).base64EncodedString()
    }
}

import Foundation
import HTTPClient

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

extension JobberWebhookEvent {
    /// Base64 of a 32-byte HMAC is 44 characters; anything much longer is not worth decoding.
    static let maximumSignatureLength = 64

    /// Every step of checking a delivery except the HMAC itself: the header is decoded (bounded
    /// in length), `isAuthentic` checks the MAC over the raw body, and only a body that passed
    /// is read. The HMAC is passed in so this file needs only Foundation and the JSON reader:
    /// `make fuzz` compiles it with a stand-in MAC, reaching the reading a forgery never gets to.
    static func verified(
        body: [UInt8], signature: String?, isAuthentic: (_ mac: [UInt8], _ body: [UInt8]) -> Bool
    ) throws(JobberWebhookProblem) -> JobberWebhookEvent {
        guard let signature, !signature.isEmpty else { throw .missingSignature }
        let trimmed = signature.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= maximumSignatureLength, let mac = Data(base64Encoded: trimmed), mac.count == 32 else {
            throw .malformedSignature
        }
        guard isAuthentic(Array(mac), body) else { throw .signatureMismatch }
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch {
            throw .malformedBody("the body is not JSON (\(error.reason) at byte \(error.offset))")
        }
        guard let event = json["data"]?["webHookEvent"] else { throw .malformedBody("no data.webHookEvent in the body") }
        func field(_ name: String, or alternative: String? = nil) throws(JobberWebhookProblem) -> String {
            if let value = event[name]?.string, !value.isEmpty { return value }
            if let alternative, let value = event[alternative]?.string, !value.isEmpty { return value }
            throw .malformedBody("webHookEvent.\(name) is missing")
        }
        let topic = try field("topic")
        return JobberWebhookEvent(
            topic: .init(topic), rawTopic: topic, appID: try field("appId"), accountID: try field("accountId"), itemID: try field("itemId"),
            occurredAt: try field("occurredAt", or: "occuredAt"))  // apps before 2023-12-08 get the misspelling
    }
}

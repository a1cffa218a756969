import Crypto
import Foundation
import HTTPClient
import Logging

/// Sends Jobber-style webhooks: `{"data":{"webHookEvent":{…}}}`, signed with
/// `X-Jobber-Hmac-SHA256 = Base64(HMAC-SHA256(client secret, raw body))` (jobber-api.md §6).
struct WebhookSender: Sendable {
    let appID: String
    let accountID: String
    let secret: String
    let http: HTTPClient<ContinuousClock>
    let now: @Sendable () -> Date

    init(appID: String, accountID: String, secret: String, logger: Logger, now: @escaping @Sendable () -> Date) {
        self.appID = appID
        self.accountID = accountID
        self.secret = secret
        self.now = now
        // One try per delivery: what Jobber does on failure is not documented, and a test
        // wants to see the receiver's answer, not a retry's.
        http = HTTPClient(clock: ContinuousClock(), retry: .init(maximumAttempts: 1), logger: logger)
    }

    /// The body Jobber would send for `change`. `legacySpelling` uses `occuredAt`, as apps
    /// created before 2023-12-08 still receive.
    func body(for change: JobberWorld.Change, legacySpelling: Bool = false) -> [UInt8] {
        let time = ISO8601DateTime(now()).text
        let event =
            #"{"topic":"\#(change.topic)","appId":"\#(appID)","accountId":"\#(accountID)","itemId":"\#(change.itemID)","\#(legacySpelling ? "occuredAt" : "occurredAt")":"\#(time)"}"#
        return Array(#"{"data":{"webHookEvent":\#(event)}}"#.utf8)
    }

    func signature(of body: [UInt8]) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    /// Delivers each change in order and reports how each was answered.
    func deliver(_ changes: [JobberWorld.Change], to url: String, legacySpelling: Bool = false) async -> [WebhookDelivery] {
        var deliveries: [WebhookDelivery] = []
        for change in changes {
            let body = body(for: change, legacySpelling: legacySpelling)
            let request = HTTPRequest(
                .post, url, headers: [("Content-Type", "application/json"), ("X-Jobber-Hmac-SHA256", signature(of: body))], body: body,
                timeout: .seconds(5))
            let status = (try? await http.send(request))?.status ?? 0
            deliveries.append(WebhookDelivery(topic: change.topic, itemID: change.itemID, status: status))
        }
        return deliveries
    }
}

/// One webhook the simulator sent and what the receiver answered (0: it could not be reached).
public struct WebhookDelivery: Equatable, Sendable {
    public var topic: String
    public var itemID: String
    public var status: Int
}

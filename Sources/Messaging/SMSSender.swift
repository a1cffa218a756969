import Foundation
import HTTPClient
import PosPlusCore

/// A Twilio-compatible SMS API: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json` with
/// HTTP Basic auth (account SID, auth token) and form fields `To`, `From`, `Body`.
public struct SMSSettings: Equatable, Sendable {
    public var baseURL: String
    public var accountSID: String
    public var authToken: Secret<String>
    public var from: PhoneNumber

    public init(baseURL: String = "https://api.twilio.com", accountSID: String, authToken: Secret<String>, from: PhoneNumber) {
        self.baseURL = baseURL
        self.accountSID = accountSID
        self.authToken = authToken
        self.from = from
    }
}

public struct SMSSender<C: Clock<Duration>>: Sendable {
    public let settings: SMSSettings
    let http: HTTPClient<C>

    public init(settings: SMSSettings, http: HTTPClient<C>) {
        self.settings = settings
        self.http = http
    }

    /// Sends `body` to `to`; returns the provider's message id.
    @discardableResult
    public func send(_ body: String, to: PhoneNumber) async throws(MessagingError) -> String {
        let credentials = Data("\(settings.accountSID):\(settings.authToken.expose())".utf8).base64EncodedString()
        let form = FormEncoding.encode([("To", to.e164), ("From", settings.from.e164), ("Body", body)])
        // Not idempotent: a retry after a lost reply could text twice. The outbox decides.
        let request = HTTPRequest(
            .post, "\(settings.baseURL)/2010-04-01/Accounts/\(settings.accountSID)/Messages.json",
            headers: [("Authorization", "Basic \(credentials)"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(form.utf8),
            isIdempotent: false)
        let response: HTTPResponse
        do { response = try await http.send(request) } catch { throw .transport("\(error)") }
        let json = try? JSONValue.parse(response.body)
        guard response.isSuccess else { throw .sms(status: response.status, message: json?["message"]?.string ?? "no message") }
        return json?["sid"]?.string ?? ""
    }
}

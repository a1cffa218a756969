import Foundation
import HTTPClient
import Logging
import PosPlusCore

/// How posplus reaches Stripe.
public struct StripeConfiguration: Sendable {
    /// `https://api.stripe.com`, or a simulator on 127.0.0.1.
    public var baseURL: String
    public var secretKey: Secret<String>
    /// `Stripe-Version`, pinned: response shapes change between versions.
    public var apiVersion: String
    public var timeout: Duration

    public static let defaultAPIVersion = "2026-10-28.endive"

    public init(
        baseURL: String = "https://api.stripe.com", secretKey: Secret<String>, apiVersion: String = defaultAPIVersion,
        timeout: Duration = .seconds(30)
    ) {
        self.baseURL = baseURL
        self.secretKey = secretKey
        self.apiVersion = apiVersion
        self.timeout = timeout
    }
}

/// One request as sent, for the contract check (tests record them; nothing secret is kept).
public struct StripeRecordedRequest: Equatable, Sendable {
    public var method: String
    public var path: String
    public var form: StripeForm

    public init(method: String, path: String, form: StripeForm) {
        self.method = method
        self.path = path
        self.form = form
    }
}

/// Sees every request the client sends; tests use it to check parameters against Stripe's types.
public protocol StripeRequestRecorder: Sendable {
    func record(_ request: StripeRecordedRequest)
}

/// An error object Stripe returned (`{"error":{…}}`).
public struct StripeAPIError: Equatable, Sendable {
    public var status: Int
    public var type: String
    public var code: String?
    public var declineCode: String?
    public var message: String
    public var param: String?
    public var paymentIntentID: String?
}

/// Stripe's REST API over ``HTTPClient``: bearer key, pinned version, form bodies, and an
/// `Idempotency-Key` on every POST. A POST with a key is safe to repeat, so the HTTP layer may
/// retry it after a timeout or a 5xx: Stripe replays the first answer instead of acting twice.
public struct StripeClient<C: Clock<Duration>>: Sendable {
    public enum Reply: Sendable {
        case ok(JSONValue)
        case error(StripeAPIError)
        /// No usable answer; `mayHaveActed` says whether Stripe might have done it.
        case failed(reason: String, mayHaveActed: Bool)
    }

    public let configuration: StripeConfiguration
    let http: HTTPClient<C>
    let recorder: (any StripeRequestRecorder)?

    public init(configuration: StripeConfiguration, http: HTTPClient<C>, recorder: (any StripeRequestRecorder)? = nil) {
        self.configuration = configuration
        self.http = http
        self.recorder = recorder
    }

    public func post(_ path: String, _ form: StripeForm = StripeForm(), idempotencyKey: String) async -> Reply {
        await send(.post, path, form, idempotencyKey: idempotencyKey)
    }

    public func get(_ path: String, _ query: StripeForm = StripeForm()) async -> Reply {
        await send(.get, path, query, idempotencyKey: nil)
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, _ form: StripeForm, idempotencyKey: String?) async -> Reply {
        recorder?.record(StripeRecordedRequest(method: method.rawValue, path: path, form: form))
        var headers: [(name: String, value: String)] = [
            ("Authorization", "Bearer \(configuration.secretKey.expose())"), ("Stripe-Version", configuration.apiVersion),
            ("Accept", "application/json"),
        ]
        var url = configuration.baseURL + path
        var body: [UInt8]?
        if method == .get {
            if !form.isEmpty { url += "?" + form.encoded }
        } else {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
            body = Array(form.encoded.utf8)
        }
        let request = HTTPRequest(
            method, url, headers: headers, body: body, timeout: configuration.timeout, isIdempotent: method == .get || idempotencyKey != nil
        )
        let response: HTTPResponse
        do { response = try await http.send(request) } catch {
            return .failed(reason: "\(error)", mayHaveActed: method != .get && error.mayHaveReachedServer)
        }
        let json: JSONValue
        do { json = try JSONValue.parse(response.body) } catch {
            return .failed(
                reason: "HTTP \(response.status) with a body that is not JSON", mayHaveActed: method != .get && response.status >= 500)
        }
        if response.isSuccess { return .ok(json) }
        guard let error = json["error"] else {
            return .failed(
                reason: "HTTP \(response.status) without an error object", mayHaveActed: method != .get && response.status >= 500)
        }
        if response.status >= 500 && method != .get {
            // Retried already by the HTTP layer; Stripe may have acted before failing.
            return .failed(reason: "HTTP \(response.status): \(error["message"]?.string ?? "server error")", mayHaveActed: true)
        }
        return .error(
            StripeAPIError(
                status: response.status, type: error["type"]?.string ?? "api_error", code: error["code"]?.string,
                declineCode: error["decline_code"]?.string, message: error["message"]?.string ?? "Stripe refused the request",
                param: error["param"]?.string, paymentIntentID: error["payment_intent"]?["id"]?.string))
    }
}

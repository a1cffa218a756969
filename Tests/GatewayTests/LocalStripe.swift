import Foundation
import Gateway
import HTTPClient
import Logging
import PosPlusCore
import TestSupport

/// localstripe (PyPI), a stateful Stripe fake, on 127.0.0.1 for one test: started from
/// `scripts/localstripe-serve.py`, stopped by ``stop()``. `make deps` installs it.
final class LocalStripe: Sendable {
    private let server: ScriptServer
    let baseURL: String
    let recorder = RequestLog()

    static var packageRoot: URL { ScriptServer.packageRoot }

    init() throws {
        server = try ScriptServer(script: "localstripe-serve.py", prefix: "localstripe ")
        baseURL = server.announced
    }

    func gateway() -> StripeGateway<ContinuousClock> {
        let client = StripeClient(
            configuration: StripeConfiguration(baseURL: baseURL, secretKey: Secret("sk_test_posplus")),
            http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "test.stripe")), recorder: recorder)
        // localstripe has no bank accounts (its payment-method list refuses `us_bank_account`);
        // ACH is proven against the simulator and the contract check instead.
        return StripeGateway(client: client, capabilities: [.paymentLinks, .savedMethods, .partialRefunds])
    }

    /// What Stripe's hosted card field produces at the desk: a PaymentMethod id. The published
    /// test card number goes to localstripe directly, never through posplus's code.
    func hostedCard(_ number: String) async throws -> String {
        let body = "type=card&card[number]=\(number)&card[exp_month]=12&card[exp_year]=2031&card[cvc]=123"
        let reply = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, baseURL + "/v1/payment_methods",
                headers: [("Authorization", "Bearer sk_test_posplus"), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(body.utf8)))
        return try JSONValue.parse(reply.body)["id"]?.string ?? ""
    }

    /// Registers a webhook endpoint (localstripe's `/_config/webhooks/{id}`).
    func sendWebhooks(to url: String, secret: String) async throws {
        let body = FormEncoding.encode([("url", url), ("secret", secret)])
        _ = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, baseURL + "/_config/webhooks/posplus", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(body.utf8)))
    }

    func stop() {
        server.stop()
        recorder.save()
    }
}

/// Every request the Stripe client sent in this test run, appended to
/// `.build/stripe-requests.jsonl` for the contract check against the `stripe` package's types.
final class RequestLog: StripeRequestRecorder, @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [StripeRecordedRequest] = []

    static let file = LocalStripe.packageRoot.appendingPathComponent(".build/stripe-requests.jsonl")

    func record(_ request: StripeRecordedRequest) { lock.withLock { requests.append(request) } }

    var all: [StripeRecordedRequest] { lock.withLock { requests } }

    func save() {
        guard !all.isEmpty else { return }
        RequestLog.append(Self.jsonLines(all))
    }

    /// One JSON object per request: method, path and the form pairs in order.
    static func jsonLines(_ requests: [StripeRecordedRequest]) -> String {
        requests.map { request -> String in
            let pairs = request.form.pairs.map { "[\(JSONValue.string($0.key).serialized),\(JSONValue.string($0.value).serialized)]" }
            return
                #"{"method":"\#(request.method)","path":\#(JSONValue.string(request.path).serialized),"params":[\#(pairs.joined(separator: ","))]}"#
        }.joined(separator: "\n") + "\n"
    }

    private static let fileLock = NSLock()

    static func append(_ text: String) {
        fileLock.withLock {
            if let handle = try? FileHandle(forWritingTo: file) {
                handle.seekToEndOfFile()
                handle.write(Data(text.utf8))
                try? handle.close()
            } else {
                try? Data(text.utf8).write(to: file)
            }
        }
    }
}

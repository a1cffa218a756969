import Foundation
import Gateway
import HTTPClient
import Logging
import PosPlusCore

extension StripeSimulator {
    /// Builds, stores and sends an event for `object`; returns the receiver's status (0: none).
    @discardableResult
    func emit(_ type: String, _ object: JSONValue) async -> Int {
        let event = JSONValue.object([
            "id": .string(state.newID("evt")), "object": .string("event"), "type": .string(type),
            "created": .number(String(state.timestamp)),
            "api_version": .string(StripeConfiguration.defaultAPIVersion), "livemode": .bool(false),
            "data": .object(["object": StripeSimulator.publicView(object)]),
        ])
        state.put(event)
        guard let url = options.webhookURL else { return 0 }
        let body = Array(event.serialized.utf8)
        let signature = StripeWebhookVerifier(endpointSecret: Secret(options.webhookSecret)).signatureHeader(for: body, at: options.now())
        return await webhookClient.post(body, to: url, signature: signature)
    }
}

/// Posts signed events, one try each: the test wants the receiver's own answer.
struct WebhookClient: Sendable {
    private let http = HTTPClient(
        clock: ContinuousClock(), retry: .init(maximumAttempts: 1), logger: Logger(label: "posplus.sim.stripe.webhooks"))

    func post(_ body: [UInt8], to url: String, signature: String) async -> Int {
        let request = HTTPRequest(
            .post, url, headers: [("Content-Type", "application/json"), ("Stripe-Signature", signature)], body: body, timeout: .seconds(5))
        return (try? await http.send(request))?.status ?? 0
    }
}

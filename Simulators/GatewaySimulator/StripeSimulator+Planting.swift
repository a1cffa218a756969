import Foundation
import HTTPClient

extension StripeSimulator {
    /// Puts a succeeded card PaymentIntent (with its charge) straight into the account, created
    /// at `created`: for benchmarks and large tests that need thousands of payments without
    /// three requests for each. Returns its id.
    @discardableResult
    public func plantSucceededPayment(cents: Int64, currency: String = "usd", metadata: [String: String], created: Date) -> String {
        let id = state.newID("pi")
        let charge = state.newID("ch")
        state.put(
            .object([
                "id": .string(id), "object": .string("payment_intent"), "amount": .number(String(cents)),
                "amount_received": .number(String(cents)), "amount_capturable": .number("0"), "currency": .string(currency),
                "status": .string("succeeded"), "capture_method": .string("automatic"), "latest_charge": .string(charge),
                "metadata": .object(metadata.mapValues(JSONValue.string)),
                "created": .number(String(Int64(created.timeIntervalSince1970))),
            ]))
        return id
    }

    /// The money arrived in the customer's account: every saved card that was declined for
    /// insufficient funds (Stripe's 4000000000009995) is approved from now on. What a retry of a
    /// soft decline a few days later meets in life; the card's brand and last four stay.
    public func fundsArrived() {
        for method in state.all("payment_method", where: { $0["sim_number"]?.string == "4000000000009995" }) {
            guard let id = method["id"]?.string else { continue }
            state.update(id) { $0["sim_number"] = .string("4242424242424242") }
        }
    }

    /// How many API requests (not `/_sim` control calls) the simulator has answered.
    public var apiRequestCount: Int { state.requestCount }
}

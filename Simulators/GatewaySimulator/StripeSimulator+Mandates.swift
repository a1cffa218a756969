import Foundation
import HTTPClient
import Hummingbird

/// Mandates: a customer's permission to debit a bank account. Stripe makes one when a bank
/// account is confirmed with `mandate_data` (multi-use from a SetupIntent, single-use from a
/// PaymentIntent); a later off-session debit names it with `mandate`, and is refused once the
/// customer revoked it (`/_sim/mandates/{id}/revoke`).
extension StripeSimulator {
    struct Refusal: Error {
        let reply: (Int, JSONValue)
    }

    /// The `customer_acceptance` of a request's `mandate_data`, when it carries one.
    static func acceptance(_ form: FormFields) -> JSONValue? {
        let type = form["mandate_data[customer_acceptance][type]"]
        guard type == "online" || type == "offline" else { return nil }
        var acceptance: [String: JSONValue] = [
            "type": .string(type ?? "online"),
            "accepted_at": .number(form["mandate_data[customer_acceptance][accepted_at]"] ?? "0"),
        ]
        if type == "online" {
            guard let address = form["mandate_data[customer_acceptance][online][ip_address]"],
                let agent = form["mandate_data[customer_acceptance][online][user_agent]"]
            else { return nil }
            acceptance["online"] = .object(["ip_address": .string(address), "user_agent": .string(agent)])
        }
        return .object(acceptance)
    }

    func createMandate(_ methodID: String, acceptance: JSONValue, multiUse: Bool) -> String {
        let id = state.newID("mandate")
        state.put(
            .object([
                "id": .string(id), "object": .string("mandate"), "status": .string("active"),
                "type": .string(multiUse ? "multi_use" : "single_use"), "payment_method": .string(methodID),
                "customer_acceptance": acceptance, "sim_used": .bool(false),
            ]))
        return id
    }

    /// The mandate a bank debit of `methodID` runs under: the named one if it is active and for
    /// this account (a single-use one only once), or a new single-use one from `mandate_data`.
    func mandateFor(_ methodID: String, _ form: FormFields, customer: String?) -> Result<String, Refusal> {
        if let id = form["mandate"] {
            guard let mandate = state.get(id), mandate["object"]?.string == "mandate" else {
                return .failure(
                    Refusal(reply: stripeError(400, code: "resource_missing", message: "No such mandate: '\(id)'", param: "mandate")))
            }
            guard mandate["payment_method"]?.string == methodID else {
                return .failure(
                    Refusal(reply: stripeError(400, message: "The mandate \(id) is for another payment method.", param: "mandate")))
            }
            guard mandate["status"]?.string == "active", !(mandate["type"]?.string == "single_use" && mandate["sim_used"]?.bool == true)
            else {
                return .failure(
                    Refusal(
                        reply: stripeError(
                            400, code: "payment_method_unactivated", message: "The mandate \(id) is no longer active.", param: "mandate")))
            }
            state.update(id) { $0["sim_used"] = .bool(true) }
            return .success(id)
        }
        guard let acceptance = Self.acceptance(form) else {
            return .failure(
                Refusal(
                    reply: stripeError(
                        400, code: "parameter_missing",
                        message: "A us_bank_account payment needs a mandate: give mandate, or mandate_data with the customer's acceptance.",
                        param: "mandate_data")))
        }
        let id = createMandate(methodID, acceptance: acceptance, multiUse: false)
        state.update(id) { $0["sim_used"] = .bool(true) }
        return .success(id)
    }

    func addMandateRoutes(to router: Router<BasicRequestContext>) {
        get(router, "/v1/mandates/{id}") { _, id in self.retrieve(id, "mandate") }
        router.group("_sim").post("mandates/{id}/revoke") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard self.state.get(id)?["object"]?.string == "mandate" else { return Self.respond(self.retrieve(id, "mandate")) }
            return Self.respond((200, self.state.update(id) { $0["status"] = .string("inactive") }!))
        }
    }
}

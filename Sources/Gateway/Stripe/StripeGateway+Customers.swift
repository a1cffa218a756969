import HTTPClient
import PosPlusCore

extension StripeGateway {
    public func createCustomer(_ customer: GatewayCustomer, idempotencyKey: String) async throws(GatewayError) -> String {
        var form = StripeForm()
        form.add("name", customer.name)
        form.add("email", customer.email)
        form.add("metadata", dictionary: ["jobber_client_id": customer.jobberClientID])
        let created = try value(of: await client.post("/v1/customers", form, idempotencyKey: idempotencyKey))
        return try StripeReading.text(created["id"], "customer.id")
    }

    /// A SetupIntent for off-session use, confirmed with the method the customer entered in
    /// Stripe's hosted field; the method is then attached to the customer. A bank account is
    /// confirmed with the customer's acceptance, and Stripe answers with its multi-use mandate.
    public func saveMethod(customer: String, paymentMethod: String, acceptance: MandateAcceptance?, idempotencyKey: String)
        async throws(GatewayError) -> SavedMethod
    {
        var form = StripeForm()
        form.add("customer", customer)
        form.add("usage", "off_session")
        if acceptance != nil { form.add("allowed_payment_method_types[]", "us_bank_account") }
        let setup = try value(of: await client.post("/v1/setup_intents", form, idempotencyKey: idempotencyKey))
        let setupID = try StripeReading.text(setup["id"], "setup_intent.id")
        var confirm = StripeForm()
        confirm.add("payment_method", paymentMethod)
        if let acceptance {
            confirm.add("mandate_data[customer_acceptance][type]", "online")
            confirm.add("mandate_data[customer_acceptance][accepted_at]", Int64(acceptance.acceptedAt.timeIntervalSince1970))
            confirm.add("mandate_data[customer_acceptance][online][ip_address]", acceptance.ipAddress)
            confirm.add("mandate_data[customer_acceptance][online][user_agent]", acceptance.userAgent)
        }
        let confirmed = try value(
            of: await client.post("/v1/setup_intents/\(setupID)/confirm", confirm, idempotencyKey: idempotencyKey + "-confirm"))
        guard confirmed["status"]?.string == "succeeded" else {
            throw .invalidRequest(
                message: "the payment method could not be saved (setup intent is \(confirmed["status"]?.string ?? "unknown"))", param: nil)
        }
        var attach = StripeForm()
        attach.add("customer", customer)
        let method = try value(
            of: await client.post("/v1/payment_methods/\(paymentMethod)/attach", attach, idempotencyKey: idempotencyKey + "-attach"))
        return try StripeReading.savedMethod(method, mandate: confirmed["mandate"]?.string ?? confirmed["mandate"]?["id"]?.string)
    }

    /// The customer's cards and bank accounts (Stripe lists one type at a time).
    public func savedMethods(customer: String) async throws(GatewayError) -> [SavedMethod] {
        var methods: [SavedMethod] = []
        let types = capabilities.contains(.ach) ? ["card", "us_bank_account"] : ["card"]
        for type in types {
            var query = StripeForm()
            query.add("customer", customer)
            query.add("type", type)
            for method in try await allPages("/v1/payment_methods", query) { methods.append(try StripeReading.savedMethod(method)) }
        }
        return methods
    }

    public func mandate(_ id: String) async throws(GatewayError) -> GatewayMandate {
        try StripeReading.mandate(try value(of: await client.get("/v1/mandates/\(id)")))
    }

    public func removeSavedMethod(_ id: String) async throws(GatewayError) {
        _ = try value(of: await client.post("/v1/payment_methods/\(id)/detach", idempotencyKey: "detach-\(id)"))
    }
}

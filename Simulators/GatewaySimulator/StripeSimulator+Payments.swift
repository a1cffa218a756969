import Foundation
import HTTPClient

extension StripeSimulator {
    func createCustomer(_ form: FormFields) -> (Int, JSONValue) {
        var customer: [String: JSONValue] = [
            "id": .string(state.newID("cus")), "object": .string("customer"), "created": .number(String(state.timestamp)),
            "metadata": .object(form.dictionary("metadata").mapValues(JSONValue.string)),
        ]
        customer["name"] = form["name"].map(JSONValue.string) ?? .null
        customer["email"] = form["email"].map(JSONValue.string) ?? .null
        state.put(.object(customer))
        return (200, .object(customer))
    }

    /// What Stripe's hosted fields create: a card or a US bank account. Only tests call this.
    func createPaymentMethod(_ form: FormFields) -> (Int, JSONValue) {
        var method: [String: JSONValue] = [
            "id": .string(state.newID("pm")), "object": .string("payment_method"), "customer": .null,
            "created": .number(String(state.timestamp)),
        ]
        switch form["type"] {
        case "card":
            let number = form["card[number]"] ?? ""
            guard let card = TestInstruments.card(number) else {
                return stripeError(
                    402, type: "card_error", code: "incorrect_number", message: "Your card number is incorrect.", param: "card[number]")
            }
            method["type"] = .string("card")
            method["card"] = .object([
                "brand": .string(card.brand), "last4": .string(String(number.suffix(4))),
                "exp_month": .number(form["card[exp_month]"] ?? "12"), "exp_year": .number(form["card[exp_year]"] ?? "2031"),
            ])
            method["sim_number"] = .string(number)
        case "us_bank_account":
            let account = form["us_bank_account[account_number]"] ?? ""
            guard TestInstruments.bank(account) != nil, form["us_bank_account[routing_number]"] == "110000000" else {
                return stripeError(
                    400, message: "Use routing 110000000 and a test account number.", param: "us_bank_account[account_number]")
            }
            method["type"] = .string("us_bank_account")
            method["us_bank_account"] = .object([
                "bank_name": .string("STRIPE TEST BANK"), "last4": .string(String(account.suffix(4))),
                "routing_number": .string("110000000"),
            ])
            method["sim_number"] = .string(account)
        default:
            return stripeError(400, message: "Invalid type: must be one of card or us_bank_account", param: "type")
        }
        state.put(.object(method))
        return (200, .object(method))
    }

    func listPaymentMethods(_ form: FormFields) -> (Int, JSONValue) {
        list("payment_method", form, path: "/v1/payment_methods") { method in
            method["customer"]?.string == form["customer"] && (form["type"] == nil || method["type"]?.string == form["type"])
        }
    }

    func attach(_ id: String?, _ customer: String?) -> (Int, JSONValue) {
        guard let id, state.get(id)?["object"]?.string == "payment_method" else { return retrieve(id, "payment_method") }
        if let customer, state.get(customer) == nil {
            return stripeError(404, code: "resource_missing", message: "No such customer: '\(customer)'")
        }
        let method = state.update(id) { $0["customer"] = customer.map(JSONValue.string) ?? .null }!
        return (200, method)
    }

    func createPaymentIntent(_ form: FormFields) async -> (Int, JSONValue) {
        guard let amount = form["amount"].flatMap(Int64.init), amount > 0 else {
            return stripeError(400, code: "parameter_invalid_integer", message: "Invalid positive integer", param: "amount")
        }
        guard let currency = form["currency"], currency.count == 3 else {
            return stripeError(400, message: "Missing required param: currency.", param: "currency")
        }
        let captureMethod = form["capture_method"] ?? "automatic"
        guard ["automatic", "automatic_async", "manual"].contains(captureMethod) else {
            return stripeError(400, message: "Invalid capture_method: \(captureMethod)", param: "capture_method")
        }
        guard form.all("payment_method_types[]").isEmpty else {
            return stripeError(
                400, message: "Received unknown parameter: payment_method_types. Did you mean allowed_payment_method_types?",
                param: "payment_method_types")
        }
        var types = form.all("allowed_payment_method_types[]")
        if types.isEmpty { types = ["card"] }
        let intent: [String: JSONValue] = [
            "id": .string(state.newID("pi")), "object": .string("payment_intent"), "amount": .number(String(amount)),
            "currency": .string(currency), "status": .string("requires_payment_method"), "capture_method": .string(captureMethod),
            "amount_received": .number("0"), "amount_capturable": .number("0"), "created": .number(String(state.timestamp)),
            "customer": form["customer"].map(JSONValue.string) ?? .null, "payment_method": .null,
            "payment_method_types": .array(types.map(JSONValue.string)), "latest_charge": .null, "last_payment_error": .null,
            "description": form["description"].map(JSONValue.string) ?? .null,
            "metadata": .object(form.dictionary("metadata").mapValues(JSONValue.string)),
        ]
        state.put(.object(intent))
        let id = intent["id"]!.string!
        if let method = form["payment_method"] { state.update(id) { $0["payment_method"] = .string(method) } }
        guard form["confirm"] == "true" else { return (200, state.get(id)!) }
        return await confirm(id, form)
    }

    /// Confirms with the intent's payment method: test cards decide the card outcome; a bank
    /// debit goes to `processing` until `/_sim/payment_intents/{id}/settle` says how it ended.
    func confirm(_ id: String?, _ form: FormFields) async -> (Int, JSONValue) {
        guard let id, let intent = state.get(id), intent["object"]?.string == "payment_intent" else {
            return retrieve(id, "payment_intent")
        }
        if let method = form["payment_method"] { state.update(id) { $0["payment_method"] = .string(method) } }
        guard let methodID = state.get(id)?["payment_method"]?.string, let method = state.get(methodID) else {
            return stripeError(
                400, code: "payment_intent_unexpected_state", message: "You must provide a payment method to confirm.",
                param: "payment_method")
        }
        let number = method["sim_number"]?.string ?? ""
        if method["type"]?.string == "us_bank_account" {
            let mandate: String
            switch mandateFor(methodID, form, customer: intent["customer"]?.string) {
            case .success(let id): mandate = id
            case .failure(let refusal): return refusal.reply
            }
            let updated = state.update(id) {
                $0["status"] = .string("processing")
                $0["mandate"] = .string(mandate)
            }!
            await emit("payment_intent.processing", updated)
            return (200, updated)
        }
        switch TestInstruments.card(number)?.behaviour ?? .succeeds {
        case .succeeds:
            let manual = intent["capture_method"]?.string == "manual"
            let charge = state.newID("ch")
            let amount = intent["amount"]!
            let updated = state.update(id) {
                $0["status"] = .string(manual ? "requires_capture" : "succeeded")
                $0["amount_capturable"] = manual ? amount : .number("0")
                $0["amount_received"] = manual ? .number("0") : amount
                $0["latest_charge"] = .string(charge)
            }!
            await emit(manual ? "payment_intent.amount_capturable_updated" : "payment_intent.succeeded", updated)
            return (200, updated)
        case .needsAuthentication:
            if form["off_session"] == "true" {
                return await decline(
                    id, code: "authentication_required", declineCode: "authentication_required",
                    message: "Your card was declined. This transaction requires authentication.")
            }
            let updated = state.update(id) { $0["status"] = .string("requires_action") }!
            return (200, updated)
        case .declines(let code, let declineCode, let message):
            return await decline(id, code: code, declineCode: declineCode, message: message)
        }
    }

    private func decline(_ id: String, code: String, declineCode: String?, message: String) async -> (Int, JSONValue) {
        var error: [String: JSONValue] = ["type": .string("card_error"), "code": .string(code), "message": .string(message)]
        if let declineCode { error["decline_code"] = .string(declineCode) }
        let updated = state.update(id) {
            $0["status"] = .string("requires_payment_method")
            $0["last_payment_error"] = .object(error)
        }!
        await emit("payment_intent.payment_failed", updated)
        return stripeError(402, type: "card_error", code: code, message: message, declineCode: declineCode, paymentIntent: updated)
    }

    func capture(_ id: String?, _ form: FormFields) async -> (Int, JSONValue) {
        guard let id, let intent = state.get(id), intent["object"]?.string == "payment_intent" else {
            return retrieve(id, "payment_intent")
        }
        guard intent["status"]?.string == "requires_capture" else {
            return stripeError(
                400, code: "payment_intent_unexpected_state",
                message: "This PaymentIntent could not be captured because it has a status of \(intent["status"]?.string ?? "?").")
        }
        let capturable = intent["amount_capturable"]?.int ?? 0
        let amount = form["amount_to_capture"].flatMap(Int.init) ?? capturable
        guard amount > 0, amount <= capturable else {
            return stripeError(400, message: "amount_to_capture must be at most \(capturable).", param: "amount_to_capture")
        }
        let updated = state.update(id) {
            $0["status"] = .string("succeeded")
            $0["amount_received"] = .number(String(amount))
            $0["amount_capturable"] = .number("0")
        }!
        await emit("payment_intent.succeeded", updated)
        return (200, updated)
    }

    func cancel(_ id: String?, _ form: FormFields) async -> (Int, JSONValue) {
        guard let id, let intent = state.get(id), intent["object"]?.string == "payment_intent" else {
            return retrieve(id, "payment_intent")
        }
        let status = intent["status"]?.string ?? ""
        guard ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"].contains(status)
        else {
            return stripeError(
                400, code: "payment_intent_unexpected_state",
                message: "You cannot cancel this PaymentIntent because it has a status of \(status).")
        }
        let updated = state.update(id) {
            $0["status"] = .string("canceled")
            $0["amount_capturable"] = .number("0")
            $0["cancellation_reason"] = form["cancellation_reason"].map(JSONValue.string) ?? .null
        }!
        await emit("payment_intent.canceled", updated)
        return (200, updated)
    }

    func createRefund(_ form: FormFields) async -> (Int, JSONValue) {
        guard let intentID = form["payment_intent"], let intent = state.get(intentID) else {
            return stripeError(
                404, code: "resource_missing", message: "No such payment_intent: '\(form["payment_intent"] ?? "")'", param: "payment_intent"
            )
        }
        guard intent["status"]?.string == "succeeded" else {
            return stripeError(400, code: "charge_not_refundable", message: "This PaymentIntent has no successful charge to refund.")
        }
        let refunded = state.all("refund") { $0["payment_intent"]?.string == intentID && $0["status"]?.string != "failed" }
            .reduce(0) { $0 + ($1["amount"]?.int ?? 0) }
        let remaining = (intent["amount_received"]?.int ?? 0) - refunded
        let amount = form["amount"].flatMap(Int.init) ?? remaining
        guard amount > 0, amount <= remaining else {
            return stripeError(
                400, code: "amount_too_large",
                message: "Refund amount (\(amount)) is greater than unrefunded amount on charge (\(remaining)).", param: "amount")
        }
        let bank = state.get(intent["payment_method"]?.string ?? "")?["type"]?.string == "us_bank_account"
        let refund = JSONValue.object([
            "id": .string(state.newID("re")), "object": .string("refund"), "amount": .number(String(amount)),
            "currency": intent["currency"]!,
            "payment_intent": .string(intentID), "charge": intent["latest_charge"] ?? .null,
            "status": .string(bank ? "pending" : "succeeded"),
            "created": .number(String(state.timestamp)), "metadata": .object(form.dictionary("metadata").mapValues(JSONValue.string)),
        ])
        state.put(refund)
        await emit("refund.created", refund)
        return (200, refund)
    }

    func createSetupIntent(_ form: FormFields) -> (Int, JSONValue) {
        let setup = JSONValue.object([
            "id": .string(state.newID("seti")), "object": .string("setup_intent"), "status": .string("requires_payment_method"),
            "customer": form["customer"].map(JSONValue.string) ?? .null, "usage": .string(form["usage"] ?? "off_session"),
            "payment_method": .null, "created": .number(String(state.timestamp)),
        ])
        state.put(setup)
        return (200, setup)
    }

    /// Confirming attaches the method to the SetupIntent's customer, as Stripe does.
    func confirmSetupIntent(_ id: String?, _ form: FormFields) async -> (Int, JSONValue) {
        guard let id, let setup = state.get(id), setup["object"]?.string == "setup_intent" else { return retrieve(id, "setup_intent") }
        guard let methodID = form["payment_method"], state.get(methodID) != nil else {
            return stripeError(400, message: "Missing required param: payment_method.", param: "payment_method")
        }
        var mandate = JSONValue.null
        if state.get(methodID)?["type"]?.string == "us_bank_account" {
            guard let acceptance = Self.acceptance(form) else {
                return stripeError(
                    400, code: "parameter_missing",
                    message: "A us_bank_account SetupIntent needs mandate_data with the customer's acceptance.",
                    param: "mandate_data")
            }
            mandate = .string(createMandate(methodID, acceptance: acceptance, multiUse: true))
        }
        if let customer = setup["customer"]?.string { _ = attach(methodID, customer) }
        let updated = state.update(id) {
            $0["status"] = .string("succeeded")
            $0["payment_method"] = .string(methodID)
            $0["mandate"] = mandate
        }!
        await emit("setup_intent.succeeded", updated)
        return (200, updated)
    }
}

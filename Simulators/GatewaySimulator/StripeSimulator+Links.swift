import Foundation
import HTTPClient
import Hummingbird

extension StripeSimulator {
    func createLink(_ form: FormFields) -> (Int, JSONValue) {
        guard form["line_items[0][quantity]"] != nil else {
            return stripeError(400, message: "Missing required param: line_items[0][quantity].", param: "line_items[0][quantity]")
        }
        guard let unit = form["line_items[0][price_data][unit_amount]"].flatMap(Int64.init), unit > 0,
            let currency = form["line_items[0][price_data][currency]"], form["line_items[0][price_data][product_data][name]"] != nil
        else {
            return stripeError(
                400, message: "line_items[0] needs price_data with currency, unit_amount and product_data[name].",
                param: "line_items[0][price_data]")
        }
        let quantity = Int64(form["line_items[0][quantity]"] ?? "1") ?? 1
        let id = state.newID("plink")
        let limit = form["restrictions[completed_sessions][limit]"].map { JSONValue.number($0) }
        let link = JSONValue.object([
            "id": .string(id), "object": .string("payment_link"), "active": .bool(true), "url": .string("\(baseURL)/pay/\(id)"),
            "currency": .string(currency), "metadata": .object(form.dictionary("metadata").mapValues(JSONValue.string)),
            "payment_method_types": .array(form.all("payment_method_types[]").map(JSONValue.string)),
            "restrictions": limit.map { .object(["completed_sessions": .object(["count": .number("0"), "limit": $0])]) } ?? .null,
            "sim_amount": .number(String(unit * quantity)),
            "sim_payment_intent_metadata": .object(form.dictionary("payment_intent_data[metadata]").mapValues(JSONValue.string)),
        ])
        state.put(link)
        return (200, link)
    }

    func updateLink(_ id: String?, _ form: FormFields) -> (Int, JSONValue) {
        guard let id, state.get(id)?["object"]?.string == "payment_link" else { return retrieve(id, "payment_link") }
        let link = state.update(id) { link in
            if let active = form["active"] { link["active"] = .bool(active == "true") }
            for (key, value) in form.dictionary("metadata") {
                if case .object(var metadata)? = link["metadata"] {
                    metadata[key] = .string(value)
                    link["metadata"] = .object(metadata)
                }
            }
        }!
        return (200, link)
    }

    /// "The customer pays this link": with a test card (`card=4242…`) or bank account
    /// (`bank_account=000123456789`), optionally typing a `name` and `email`. A completed session counts against the link's limit; at
    /// the limit the link stops accepting payments, as Stripe's does.
    func pay(_ id: String, _ form: FormFields) async -> (Int, JSONValue) {
        guard let link = state.get(id), link["object"]?.string == "payment_link" else { return retrieve(id, "payment_link") }
        guard link["active"]?.bool == true else {
            return stripeError(400, code: "payment_link_inactive", message: "This payment link is no longer active.")
        }
        var methodForm = "type=card&card[number]=\(form["card"] ?? "4242424242424242")"
        if let bank = form["bank_account"] {
            methodForm = "type=us_bank_account&us_bank_account[routing_number]=110000000&us_bank_account[account_number]=\(bank)"
        }
        let (methodStatus, method) = createPaymentMethod(FormFields(methodForm))
        guard methodStatus == 200, let methodID = method["id"]?.string else { return (methodStatus, method) }
        var intentForm = "amount=\(link["sim_amount"]?.numberText ?? "0")&currency=\(link["currency"]?.string ?? "usd")&confirm=true"
        intentForm += "&payment_method=\(methodID)"
        if form["bank_account"] != nil {
            // Checkout collects the customer's mandate on its own page.
            intentForm += "&allowed_payment_method_types[]=us_bank_account&mandate_data[customer_acceptance][type]=online"
            intentForm += "&mandate_data[customer_acceptance][accepted_at]=\(state.timestamp)"
            intentForm += "&mandate_data[customer_acceptance][online][ip_address]=198.51.100.20"
            intentForm += "&mandate_data[customer_acceptance][online][user_agent]=checkout"
        }
        if case .object(let metadata)? = link["sim_payment_intent_metadata"] {
            for (key, value) in metadata { intentForm += "&metadata[\(key)]=\(value.string ?? "")" }
        }
        let (status, intent) = await createPaymentIntent(FormFields(intentForm))
        guard status == 200, let intentID = intent["id"]?.string else { return (status, intent) }
        let paid = intent["status"]?.string == "succeeded"
        // What the customer typed on the checkout page (`name=`, `email=`): free text, whatever it holds.
        let customer = JSONValue.object([
            "name": form["name"].map(JSONValue.string) ?? .null, "email": form["email"].map(JSONValue.string) ?? .null,
        ])
        let session = JSONValue.object([
            "id": .string(state.newID("cs")), "object": .string("checkout.session"), "payment_link": .string(id),
            "customer_details": customer,
            "payment_intent": .string(intentID), "status": .string("complete"), "payment_status": .string(paid ? "paid" : "unpaid"),
            "amount_total": link["sim_amount"]!, "currency": link["currency"]!, "metadata": link["metadata"] ?? .object([:]),
            "created": .number(String(state.timestamp)), "mode": .string("payment"),
        ])
        state.put(session)
        state.update(id) { link in
            guard case .object(var restrictions)? = link["restrictions"], case .object(var completed)? = restrictions["completed_sessions"]
            else { return }
            let count = (completed["count"]?.int ?? 0) + 1
            completed["count"] = .number(String(count))
            restrictions["completed_sessions"] = .object(completed)
            link["restrictions"] = .object(restrictions)
            if count >= (completed["limit"]?.int ?? Int.max) { link["active"] = .bool(false) }
        }
        await emit("checkout.session.completed", session)
        return (200, session)
    }

    /// A bank debit's answer from the bank: `outcome=succeeded|failed` while processing, or
    /// `outcome=returned` after it succeeded (a return: `charge.failed` on a succeeded payment).
    /// Without `outcome`, the test account number decides.
    func settle(_ id: String, _ form: FormFields) async -> (Int, JSONValue) {
        guard let intent = state.get(id), intent["object"]?.string == "payment_intent" else { return retrieve(id, "payment_intent") }
        let account = state.get(intent["payment_method"]?.string ?? "")?["sim_number"]?.string ?? ""
        let bank = TestInstruments.bank(account) ?? .succeeds
        let outcome = form["outcome"] ?? (bank == .succeeds ? "succeeded" : "failed")
        let (code, message): (String, String) =
            if case .fails(let code, let message) = bank { (code, message) } else {
                ("insufficient_funds", "The customer's account has insufficient funds to cover this payment.")
            }
        let session = state.all("checkout.session") { $0["payment_intent"]?.string == id }.first?["id"]?.string
        switch (intent["status"]?.string, outcome) {
        case ("processing", "succeeded"):
            let charge = state.newID("ch")  // not inside `update`, which holds the state's lock
            let updated = state.update(id) {
                $0["status"] = .string("succeeded")
                $0["amount_received"] = $0["amount"]
                $0["latest_charge"] = .string(charge)
            }!
            await emit("payment_intent.succeeded", updated)
            if let session {
                await emit("checkout.session.async_payment_succeeded", state.update(session) { $0["payment_status"] = .string("paid") }!)
            }
            return (200, updated)
        case ("processing", "failed"):
            let updated = state.update(id) {
                $0["status"] = .string("requires_payment_method")
                $0["last_payment_error"] = .object([
                    "type": .string("invalid_request_error"), "code": .string(code), "message": .string(message),
                ])
            }!
            await emit("payment_intent.payment_failed", updated)
            if let session { await emit("checkout.session.async_payment_failed", state.get(session)!) }
            return (200, updated)
        case ("succeeded", "returned"):
            let charge = JSONValue.object([
                "id": intent["latest_charge"] ?? .string(state.newID("ch")), "object": .string("charge"), "payment_intent": .string(id),
                "amount": intent["amount"]!, "currency": intent["currency"]!, "status": .string("failed"),
                "failure_code": .string(code), "failure_message": .string(message),
            ])
            await emit("charge.failed", charge)
            return (200, charge)
        default:
            return stripeError(
                400, message: "Cannot settle a payment in status \(intent["status"]?.string ?? "?") with outcome \(outcome).")
        }
    }

    func addControlRoutes(to router: Router<BasicRequestContext>) {
        let control = router.group("_sim")
        control.post("payment_links/{id}/pay") { request, context in
            let form = FormFields(String(buffer: try await request.body.collect(upTo: 1 << 16)))
            return Self.respond(await self.pay(try context.parameters.require("id"), form))
        }
        control.post("payment_intents/{id}/settle") { request, context in
            let form = FormFields(String(buffer: try await request.body.collect(upTo: 1 << 16)))
            return Self.respond(await self.settle(try context.parameters.require("id"), form))
        }
        control.post("webhooks") { request, _ in
            let form = FormFields(String(buffer: try await request.body.collect(upTo: 1 << 16)))
            self.setWebhookURL(form["url"])
            return Self.respond((200, .object([:])))
        }
        control.post("faults") { request, _ in
            let form = FormFields(String(buffer: try await request.body.collect(upTo: 1 << 16)))
            if let delay = form["delay_next_reply_ms"].flatMap(Int.init) { self.delayNextReply(by: .milliseconds(delay)) }
            if let status = form["fail_next_with"].flatMap(Int.init) { self.failNextRequest(status: status) }
            return Self.respond((200, .object([:])))
        }
        control.delete("data") { _, _ in
            self.state.clear()
            return Self.respond((200, .object([:])))
        }
    }
}

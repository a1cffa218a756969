import Foundation
import HTTPClient
import Hummingbird

/// Disputes, balance transactions and payouts: what the account's money did, for `reconcile`.
///
/// Balance transactions are derived from the objects that moved money (a succeeded
/// PaymentIntent's charge, a refund, a dispute, a payout), with ids built from their source, so
/// they are always consistent with the payments and never need bookkeeping on every path. Fees
/// follow Stripe's US list prices: cards 2.9% + 30¢, ACH debits 0.8% capped at $5, a dispute $15.
extension StripeSimulator {
    func addBalanceRoutes(to router: Router<BasicRequestContext>) {
        get(router, "/v1/disputes") { form, _ in self.list("dispute", form, path: "/v1/disputes") }
        get(router, "/v1/payouts") { form, _ in self.list("payout", form, path: "/v1/payouts") }
        get(router, "/v1/balance_transactions") { form, _ in self.listBalance(form) }
        let control = router.group("_sim")
        control.post("payment_intents/{id}/dispute") { request, context in
            let form = FormFields(String(buffer: try await request.body.collect(upTo: 1 << 16)))
            return Self.respond(await self.dispute(try context.parameters.require("id"), form))
        }
        control.post("disputes/{id}/close") { request, context in
            let form = FormFields(String(buffer: try await request.body.collect(upTo: 1 << 16)))
            return Self.respond(await self.closeDispute(try context.parameters.require("id"), form))
        }
        control.post("payouts") { request, _ in
            let form = FormFields(String(buffer: try await request.body.collect(upTo: 1 << 16)))
            return Self.respond(self.payOut(form))
        }
    }

    /// The cardholder's bank disputes a succeeded payment: the disputed amount and the dispute
    /// fee leave the balance at once (`charge.dispute.created`), outside anything posplus did.
    func dispute(_ id: String, _ form: FormFields) async -> (Int, JSONValue) {
        guard let intent = state.get(id), intent["object"]?.string == "payment_intent" else { return retrieve(id, "payment_intent") }
        guard intent["status"]?.string == "succeeded" else {
            return stripeError(400, message: "Only a succeeded payment can be disputed (this one is \(intent["status"]?.string ?? "?")).")
        }
        let received = intent["amount_received"]?.int ?? 0
        let amount = form["amount"].flatMap(Int.init) ?? received
        guard amount > 0, amount <= received else { return stripeError(400, message: "amount must be 1…\(received).", param: "amount") }
        let dispute = JSONValue.object([
            "id": .string(state.newID("dp")), "object": .string("dispute"), "amount": .number(String(amount)),
            "currency": intent["currency"]!, "charge": intent["latest_charge"] ?? .null, "payment_intent": .string(id),
            "status": .string(form["status"] ?? "needs_response"), "reason": .string(form["reason"] ?? "fraudulent"),
            "created": .number(String(state.timestamp)),
        ])
        state.put(dispute)
        await emit("charge.dispute.created", dispute)
        return (200, dispute)
    }

    /// The dispute is decided (`status` won or lost, lost by default): `charge.dispute.closed`.
    /// (The simulator keeps the disputed money out of the balance either way.)
    func closeDispute(_ id: String, _ form: FormFields) async -> (Int, JSONValue) {
        guard state.get(id)?["object"]?.string == "dispute" else { return retrieve(id, "dispute") }
        let status = form["status"] ?? "lost"
        guard ["won", "lost"].contains(status) else { return stripeError(400, message: "status must be won or lost.", param: "status") }
        let dispute = state.update(id) { $0["status"] = .string(status) }!
        await emit("charge.dispute.closed", dispute)
        return (200, dispute)
    }

    /// An automatic payout of every balance movement not yet paid out (`status` defaults to paid).
    func payOut(_ form: FormFields) -> (Int, JSONValue) {
        let paidOut = Set(state.all("payout").flatMap { $0["sim_entries"]?.array ?? [] }.compactMap(\.string))
        let entries = balanceTransactions().filter { !paidOut.contains($0["id"]?.string ?? "") }
        let net = entries.reduce(0) { $0 + ($1["net"]?.int ?? 0) }
        guard net > 0, let currency = entries.first?["currency"] else {
            return stripeError(400, code: "balance_insufficient", message: "There is no positive balance to pay out.")
        }
        let created = state.timestamp
        let payout = JSONValue.object([
            "id": .string(state.newID("po")), "object": .string("payout"), "amount": .number(String(net)), "currency": currency,
            "status": .string(form["status"] ?? "paid"), "automatic": .bool(true), "created": .number(String(created)),
            "arrival_date": .number(String(created + 2 * 86_400)),
            "sim_entries": .array(entries.compactMap { $0["id"] }),
        ])
        state.put(payout)
        return (200, payout)
    }

    func listBalance(_ form: FormFields) -> (Int, JSONValue) {
        var items = balanceTransactions()
        if let payoutID = form["payout"] {
            guard let payout = state.get(payoutID), payout["object"]?.string == "payout" else { return retrieve(payoutID, "payout") }
            let members = Set((payout["sim_entries"]?.array ?? []).compactMap(\.string))
            items = items.filter { members.contains($0["id"]?.string ?? "") || $0["source"]?.string == payoutID }
        }
        if let createdFrom = form["created[gte]"].flatMap(Int.init) { items = items.filter { ($0["created"]?.int ?? 0) >= createdFrom } }
        return (200, listPage(items, url: "/v1/balance_transactions", limit: form["limit"], startingAfter: form["starting_after"]))
    }

    /// Every balance movement, in the order the money moved.
    func balanceTransactions() -> [JSONValue] {
        state.all(of: ["payment_intent", "refund", "dispute", "payout"]).compactMap(balanceTransaction)
    }

    private func balanceTransaction(_ object: JSONValue) -> JSONValue? {
        guard let id = object["id"]?.string, let currency = object["currency"] else { return nil }
        let created = object["created"] ?? .number("0")
        func entry(_ type: String, source: String, amount: Int, fee: Int) -> JSONValue {
            .object([
                "id": .string("txn_" + source), "object": .string("balance_transaction"), "type": .string(type), "source": .string(source),
                "amount": .number(String(amount)), "fee": .number(String(fee)), "net": .number(String(amount - fee)),
                "currency": currency, "created": created, "status": .string("available"),
            ])
        }
        switch object["object"]?.string {
        case "payment_intent":
            guard object["status"]?.string == "succeeded", let charge = object["latest_charge"]?.string else { return nil }
            let amount = object["amount_received"]?.int ?? 0
            let bank = state.get(object["payment_method"]?.string ?? "")?["type"]?.string == "us_bank_account"
            let fee = bank ? min((amount * 8 + 500) / 1_000, 500) : (amount * 29 + 500) / 1_000 + 30
            return entry("charge", source: charge, amount: amount, fee: fee)
        case "refund":
            guard object["status"]?.string != "failed" else { return nil }
            return entry("refund", source: id, amount: -(object["amount"]?.int ?? 0), fee: 0)
        case "dispute":
            return entry("adjustment", source: id, amount: -(object["amount"]?.int ?? 0), fee: 1_500)
        case "payout":
            return entry("payout", source: id, amount: -(object["amount"]?.int ?? 0), fee: 0)
        default:
            return nil
        }
    }
}

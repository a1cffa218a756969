import Foundation
import HTTPClient
import PosPlusCore

/// ``PaymentGateway`` on Stripe's API (stripe.md §1): PaymentIntents for charges and cancel;
/// SetupIntents and customers for saved cards and bank accounts; `us_bank_account` debits under
/// a saved mandate for ACH; refunds checked against what Stripe reports as refundable now; Payment
/// Links (``StripeGateway+Links.swift``); and cursor-paged lists for reconciliation.
public struct StripeGateway<C: Clock<Duration>>: PaymentGateway {
    public let client: StripeClient<C>
    /// Items per list page (Stripe allows 1–100); lists are always followed to the end.
    public var pageSize = 100
    public var name: String { "stripe" }
    /// Everything Stripe offers by default; narrowed for an account (or a stand-in such as
    /// localstripe) that lacks a product, so posplus never asks for what is not there.
    public let capabilities: GatewayCapabilities

    public init(
        client: StripeClient<C>, capabilities: GatewayCapabilities = [.paymentLinks, .ach, .savedMethods, .partialRefunds]
    ) {
        self.client = client
        self.capabilities = capabilities
    }

    // MARK: Charges

    public func charge(_ request: GatewayChargeRequest, idempotencyKey: String) async -> GatewayOutcome {
        var form = StripeForm()
        form.add("amount", request.amount.minorUnits)
        form.add("currency", request.amount.currency.code.lowercased())
        form.add("capture_method", "automatic")
        form.add("confirm", true)
        form.add("description", request.description)
        switch request.source {
        case .savedCard(let customer, let method):
            form.add("customer", customer)
            form.add("payment_method", method)
            form.add("off_session", true)
        case .hostedCard(let method):
            form.add("payment_method", method)
        case .bankAccount(let customer, let method, let mandate):
            form.add("customer", customer)
            form.add("payment_method", method)
            // Since 2026-10-28 the create parameter is allowed_payment_method_types
            // (payment_method_types is now only in the response): the contract check caught it.
            form.add("allowed_payment_method_types[]", "us_bank_account")
            form.add("mandate", mandate)
            form.add("off_session", true)
        }
        form.add("metadata", dictionary: request.metadata)
        return await outcome(of: client.post("/v1/payment_intents", form, idempotencyKey: idempotencyKey))
    }

    public func cancel(_ paymentID: String, idempotencyKey: String) async -> GatewayOutcome {
        await outcome(of: client.post("/v1/payment_intents/\(paymentID)/cancel", idempotencyKey: idempotencyKey))
    }

    public func refund(_ paymentID: String, amount: Money, idempotencyKey: String) async -> GatewayRefundOutcome {
        // The ceiling as Stripe reports it now, not as our ledger remembers it.
        let current: GatewayPayment
        do { current = try await payment(paymentID) } catch { return .rejected(error) }
        guard amount.currency == current.amount.currency, amount.minorUnits <= current.refundable.minorUnits else {
            return .rejected(.refundExceedsRemaining(requested: amount, remaining: current.refundable))
        }
        var form = StripeForm()
        form.add("payment_intent", paymentID)
        form.add("amount", amount.minorUnits)
        switch await client.post("/v1/refunds", form, idempotencyKey: idempotencyKey) {
        case .ok(let refund):
            let status = refund["status"]?.string ?? "succeeded"
            let result = GatewayRefund(id: refund["id"]?.string ?? "", paymentID: paymentID, amount: amount)
            switch status {
            case "succeeded": return .refunded(result)
            case "pending", "requires_action": return .pending(result)
            default: return .rejected(.processor(status: 200, message: "refund \(result.id) is \(status)"))
            }
        case .error(let error): return .rejected(StripeReading.rejection(error))
        case .failed(let reason, let mayHaveActed): return mayHaveActed ? .unknown(reason: reason) : .rejected(.transport(reason))
        }
    }

    // MARK: Lookups

    public func payment(_ id: String) async throws(GatewayError) -> GatewayPayment {
        let intent = try await value(of: client.get("/v1/payment_intents/\(id)"))
        return try await read(intent)
    }

    public func payments(since: Date) async throws(GatewayError) -> [GatewayPayment] {
        var query = StripeForm()
        query.add("created[gte]", Int64(since.timeIntervalSince1970))
        var result: [GatewayPayment] = []
        for intent in try await allPages("/v1/payment_intents", query) { result.append(try await read(intent)) }
        return result.sorted { $0.created < $1.created }
    }

    /// Follows `has_more` with `starting_after` until the list ends.
    func allPages(_ path: String, _ query: StripeForm) async throws(GatewayError) -> [JSONValue] {
        var items: [JSONValue] = []
        var after: String?
        repeat {
            var page = query
            page.add("limit", Int64(pageSize))
            page.add("starting_after", after)
            let list = try await value(of: client.get(path, page))
            let data = list["data"]?.array ?? []
            items += data
            after = list["has_more"]?.bool == true ? data.last?["id"]?.string : nil
        } while after != nil
        return items
    }

    private func read(_ intent: JSONValue) async throws(GatewayError) -> GatewayPayment {
        let id = try StripeReading.text(intent["id"], "payment_intent.id")
        var refunded: Int64 = 0
        var query = StripeForm()
        query.add("payment_intent", id)
        for refund in try await allPages("/v1/refunds", query) where ["succeeded", "pending"].contains(refund["status"]?.string ?? "") {
            refunded += try StripeReading.minor(refund["amount"], "refund.amount")
        }
        var method: PaymentMethodSummary?
        if let methodID = intent["payment_method"]?.string ?? intent["payment_method"]?["id"]?.string,
            case .ok(let object) = await client.get("/v1/payment_methods/\(methodID)")
        {
            method = StripeReading.methodSummary(object)
        }
        return try StripeReading.payment(intent, refunded: refunded, method: method)
    }

    private func outcome(of reply: StripeClient<C>.Reply) async -> GatewayOutcome {
        switch reply {
        case .ok(let intent):
            let payment: GatewayPayment
            do { payment = try await read(intent) } catch {
                return .unknown(reason: "Stripe answered, but the answer could not be read: \(error)")
            }
            switch payment.status {
            case .succeeded, .authorized, .canceled: return .approved(payment)
            case .processing: return .pending(payment)
            case .requiresAction:
                return .declined(
                    GatewayDecline(
                        reason: .authenticationRequired, message: "the bank asked for the customer's authentication", paymentID: payment.id)
                )
            case .requiresPaymentMethod:
                let error = intent["last_payment_error"]
                let apiError = StripeAPIError(
                    status: 402, type: error?["type"]?.string ?? "card_error", code: error?["code"]?.string,
                    declineCode: error?["decline_code"]?.string, message: error?["message"]?.string ?? "the payment method was declined",
                    param: nil, paymentIntentID: payment.id)
                return .declined(StripeReading.decline(apiError))
            }
        case .error(let error):
            return StripeReading.isDecline(error) ? .declined(StripeReading.decline(error)) : .rejected(StripeReading.rejection(error))
        case .failed(let reason, let mayHaveActed):
            return mayHaveActed ? .unknown(reason: reason) : .rejected(.transport(reason))
        }
    }

    func value(of reply: StripeClient<C>.Reply) throws(GatewayError) -> JSONValue {
        switch reply {
        case .ok(let json): return json
        case .error(let error): throw StripeReading.rejection(error)
        case .failed(let reason, _): throw .transport(reason)
        }
    }
}

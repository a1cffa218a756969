import Foundation
import HTTPClient
import PosPlusCore

/// Reading Stripe's objects into gateway types. Amounts are integers in minor units already;
/// currencies are lowercase ISO codes.
enum StripeReading {
    static func text(_ value: JSONValue?, _ field: String) throws(GatewayError) -> String {
        guard let text = value?.string, !text.isEmpty else { throw .malformedResponse("\(field) is missing") }
        return text
    }

    static func minor(_ value: JSONValue?, _ field: String) throws(GatewayError) -> Int64 {
        guard let text = value?.numberText, let number = Int64(text) else { throw .malformedResponse("\(field) is not an integer amount") }
        return number
    }

    static func currency(_ value: JSONValue?) throws(GatewayError) -> Currency {
        let code = try text(value, "currency").uppercased()
        do { return try Currency(code: code) } catch { throw .malformedResponse("unknown currency \(code)") }
    }

    static func metadata(_ value: JSONValue?) -> [String: String] {
        guard case .object(let members)? = value else { return [:] }
        return members.compactMapValues(\.string)
    }

    static func status(_ text: String) -> GatewayPayment.Status? {
        switch text {
        case "requires_capture": return .authorized
        case "succeeded": return .succeeded
        case "processing": return .processing
        case "requires_action": return .requiresAction
        case "requires_payment_method", "requires_confirmation": return .requiresPaymentMethod
        case "canceled": return .canceled
        default: return nil
        }
    }

    /// A PaymentIntent. `refunded` comes from the refunds listed for it; `charge` is its latest
    /// charge when the reply carries one inline (for servers that omit `amount_received`).
    static func payment(_ intent: JSONValue, refunded: Int64, method: PaymentMethodSummary?) throws(GatewayError) -> GatewayPayment {
        let currency = try currency(intent["currency"])
        let amount = try minor(intent["amount"], "payment_intent.amount")
        let statusText = try text(intent["status"], "payment_intent.status")
        guard let status = status(statusText) else { throw .malformedResponse("unknown payment_intent.status \(statusText)") }
        var captured: Int64 = 0
        if status == .succeeded {
            if let received = intent["amount_received"]?.numberText.flatMap(Int64.init) {
                captured = received
            } else if let charge = intent["latest_charge"], case .object = charge {
                // Older shape: a partial capture shows the released part as refunded.
                let chargeAmount = (try? minor(charge["amount"], "charge.amount")) ?? amount
                let chargeRefunded = (try? minor(charge["amount_refunded"], "charge.amount_refunded")) ?? 0
                captured = chargeAmount - max(0, chargeRefunded - refunded)
            } else {
                captured = amount
            }
        }
        return GatewayPayment(
            id: try text(intent["id"], "payment_intent.id"), status: status, amount: Money(minorUnits: amount, currency: currency),
            captured: Money(minorUnits: captured, currency: currency), refunded: Money(minorUnits: refunded, currency: currency),
            method: method, metadata: metadata(intent["metadata"]),
            created: Date(timeIntervalSince1970: TimeInterval(intent["created"]?.numberText.flatMap(Int.init) ?? 0)))
    }

    static func methodSummary(_ method: JSONValue) -> PaymentMethodSummary? {
        if let card = method["card"], let last4 = card["last4"]?.string {
            return PaymentMethodSummary(kind: .card, label: card["brand"]?.string ?? "card", last4: last4)
        }
        if let bank = method["us_bank_account"], let last4 = bank["last4"]?.string {
            return PaymentMethodSummary(kind: .bankAccount, label: bank["bank_name"]?.string ?? "bank account", last4: last4)
        }
        return nil
    }

    /// A saved card or bank account; `mandate` is the one saving a bank account produced.
    static func savedMethod(_ method: JSONValue, mandate: String? = nil) throws(GatewayError) -> SavedMethod {
        let id = try text(method["id"], "payment_method.id")
        if let bank = method["us_bank_account"], case .object = bank {
            return SavedMethod(
                id: id, customer: method["customer"]?.string, kind: .bankAccount, brand: bank["bank_name"]?.string ?? "bank account",
                last4: try text(bank["last4"], "us_bank_account.last4"), expiryMonth: nil, expiryYear: nil, mandate: mandate)
        }
        guard let card = method["card"] else { throw .malformedResponse("payment_method.card is missing") }
        return SavedMethod(
            id: id, customer: method["customer"]?.string, kind: .card, brand: card["brand"]?.string ?? "card",
            last4: try text(card["last4"], "card.last4"), expiryMonth: card["exp_month"]?.numberText.flatMap(Int.init),
            expiryYear: card["exp_year"]?.numberText.flatMap(Int.init), mandate: nil)
    }

    static func mandate(_ object: JSONValue) throws(GatewayError) -> GatewayMandate {
        let statusText = try text(object["status"], "mandate.status")
        guard let status = GatewayMandate.Status(rawValue: statusText) else {
            throw .malformedResponse("unknown mandate.status \(statusText)")
        }
        let method = object["payment_method"]?.string ?? object["payment_method"]?["id"]?.string
        return GatewayMandate(
            id: try text(object["id"], "mandate.id"), paymentMethod: try text(method.map(JSONValue.string), "mandate.payment_method"),
            status: status, multiUse: object["type"]?.string == "multi_use",
            acceptedAt: object["customer_acceptance"]?["accepted_at"]?.numberText.flatMap(TimeInterval.init).map(
                Date.init(timeIntervalSince1970:)))
    }

    /// Stripe's decline codes as gateway reasons.
    static func decline(_ error: StripeAPIError) -> GatewayDecline {
        let code = error.declineCode ?? error.code
        let reason: GatewayDecline.Reason
        switch code {
        case "expired_card": reason = .expiredCard
        case "incorrect_cvc": reason = .incorrectCVC
        case "insufficient_funds": reason = .insufficientFunds
        case "authentication_required": reason = .authenticationRequired
        case "processing_error": reason = .processingError
        case "card_declined", "generic_decline", "do_not_honor", "lost_card", "stolen_card", "fraudulent", nil:
            reason = .cardDeclined(code: error.declineCode ?? error.code)
        case let other?: reason = .other(code: other)
        }
        return GatewayDecline(
            reason: reason, message: error.message, paymentID: error.paymentIntentID, code: error.code, declineCode: error.declineCode)
    }

    /// A refusal that is not a decline.
    static func rejection(_ error: StripeAPIError) -> GatewayError {
        switch (error.status, error.type) {
        case (401, _): return .authentication(error.message)
        case (404, _): return .notFound(error.message)
        case (429, _): return .rateLimited
        case (_, "idempotency_error"): return .idempotencyConflict(error.message)
        case (400, _), (_, "invalid_request_error"): return .invalidRequest(message: error.message, param: error.param)
        default: return .processor(status: error.status, message: error.message)
        }
    }

    /// A card or bank decline: HTTP 402 (Stripe says `card_error`; some fakes say otherwise).
    static func isDecline(_ error: StripeAPIError) -> Bool {
        error.status == 402 || error.type == "card_error"
    }
}

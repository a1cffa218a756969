import Bridge
import Foundation
import Messaging
import PosPlusCore

/// A request body decoded strictly (``StrictJSON``): its fields are its coding keys, and any
/// other field is refused by name.
protocol StrictBody: Decodable, Sendable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

extension StrictBody {
    static var fields: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) }
}

/// Decodes `Body` after refusing fields it does not have.
struct Strict<Body: StrictBody>: Decodable {
    let body: Body

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownFields(Body.fields)
        body = try Body(from: decoder)
    }
}

extension APICall {
    /// The body as `T`, with unknown fields refused.
    func body<T: StrictBody>(_ type: T.Type) async throws -> T { try await decodedBody(Strict<T>.self).body }
}

/// `POST /api/charges`: a counter payment on an invoice (every kind the CLI takes), or the
/// deposit on a quote.
struct ChargeBody: StrictBody {
    var invoice: String?
    var client: String?
    var quote: String?
    var amount: APIAmount?
    var intent: String?
    var method: String?
    var cardID: Int64?
    var terminal: String?
    var splitTender: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case invoice, client, quote, amount, intent, method, cardID, terminal, splitTender
    }

    enum Method: String, CaseIterable { case card, keyed, ach, savedCard }

    /// The order as `posplus charge` would build it from the same choices.
    func request(currency: Currency) throws -> MoneyRequest {
        let money = try amount?.money(in: currency)
        let terminal = try terminal.map(APIInput.terminalName)
        let split = splitTender ?? false
        guard let method = Method(rawValue: method ?? "card") else {
            throw Self.refusal("\"method\" is one of \(Method.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let intent = ProposedCharge.Intent(rawValue: intent ?? "fullBalance") else {
            throw Self.refusal("\"intent\" is one of fullBalance, partial, deposit.")
        }
        if let quote {
            guard invoice == nil, client == nil else { throw Self.refusal("Name an invoice (or a client), or a quote, not both.") }
            guard method == .card, intent != .partial, cardID == nil else {
                throw Self.refusal(
                    "A deposit on a quote is taken with the card presented: give only \"amount\" and \"terminal\" with \"quote\".")
            }
            let id = try APIInput.jobberID(quote, field: "quote")
            return MoneyRequest(order: .quoteDeposit(quoteID: id, amount: money, splitTender: split), terminal: terminal)
        }
        let number = try invoice.map { try APIInput.invoiceNumber($0) }
        let target: ChargeCheck<ContinuousClock>.Target
        if let client {
            let id = try APIInput.jobberID(client, field: "client")
            target = .client(id: id, name: id, invoiceNumber: number)
        } else if let number {
            target = .invoiceNumber(number)
        } else {
            throw Self.refusal("Name the invoice (\"invoice\": \"1043\"), the client (\"client\"), or the quote (\"quote\").")
        }
        if intent != .fullBalance, money == nil { throw Self.refusal("A partial payment or a deposit needs its \"amount\".") }
        guard (method == .savedCard) == (cardID != nil) else {
            throw Self.refusal("A saved card is charged with \"method\": \"savedCard\" and its \"cardID\", and only then.")
        }
        let operation: PaymentOperation =
            switch method {
            case .savedCard: .tokenSale
            case .keyed: .keyedSale
            case .ach: .achDebit
            case .card: intent == .deposit ? .deposit : .sale
            }
        let order = PaymentService<ContinuousClock>.ChargeOrder(
            target: target, amount: money, intent: intent, operation: operation, savedCardID: cardID, splitTender: split)
        return MoneyRequest(order: .charge(order), terminal: terminal)
    }

    static func refusal(_ sentence: String) -> APIError { APIError(.badRequest, code: "invalid_request", message: sentence) }
}

/// `POST /api/payments/{id}/void`: optionally the terminal (else where the payment was taken).
struct VoidBody: StrictBody {
    var terminal: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case terminal }
}

/// `POST /api/payments/{id}/refunds`: how much (all that is left when absent), and optionally where.
struct RefundBody: StrictBody {
    var amount: APIAmount?
    var terminal: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case amount, terminal }
}

/// `POST /api/cards`: save the card the client presents on a terminal.
struct SaveCardBody: StrictBody {
    var client: String
    var terminal: String

    enum CodingKeys: String, CodingKey, CaseIterable { case client, terminal }
}

/// `POST /api/links`: a link for an invoice (or a quote's deposit), by text or email.
struct LinkBody: StrictBody {
    var invoice: String?
    var quote: String?
    var amount: APIAmount?
    var sms: String?
    var email: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case invoice, quote, amount, sms, email }

    func recipient() throws -> PaymentLinkService<ContinuousClock>.Recipient {
        switch (sms, email) {
        case (let phone?, nil): return .sms(try PhoneNumber(phone))
        case (nil, let address?): return .email(try EmailAddress(address))
        default: throw ChargeBody.refusal("Give exactly one of \"sms\" (a phone number) or \"email\" (an address).")
        }
    }
}

import Ledger
import PosPlusCore

extension PaymentService {
    /// Saves the card the customer presents on `channel` for `clientID`, charging nothing, and
    /// returns the payment row that records it with the card kept on file (token, brand, last
    /// four, expiry — never the number). The card can then be charged with a `tokenSale`
    /// ``ChargeOrder`` naming its id. Retrying under the same key returns the same outcome.
    public func saveCard(clientID: String, on channel: any PaymentChannel, operator actor: String, idempotencyKey key: IdempotencyKey)
        async throws -> (payment: PaymentRecord, card: CardOnFileRecord?)
    {
        let payment = try await perform(.saveCard(clientID: clientID), on: channel, by: actor, idempotencyKey: key)
        let card = try cardSaved(by: payment)
        return (payment, card)
    }

    func beginSaveCard(clientID: String, on channel: any PaymentChannel, by actor: String, key: IdempotencyKey) async throws
        -> PaymentRecord
    {
        let request = PaymentRequest(
            operation: .tokenize, amount: .zero(currency), clientID: clientID, channel: channel.name)
        let begun = try ledger.begin(request, idempotencyKey: key, operator: actor)
        guard case .created(let payment) = begun else {
            return try await carryOn(begun.payment, as: .saveCard(clientID: clientID), on: channel, by: actor)
        }
        return try await execute(payment, amount: request.amount, on: channel, operator: actor)
    }

    /// The card an approved `tokenize` saved: the client's card on its channel with the brand
    /// and last four the answer reported; nil for any other payment.
    public func cardSaved(by payment: PaymentRecord) throws -> CardOnFileRecord? {
        guard payment.operation == .tokenize, payment.state == .approved else { return nil }
        return try ledger.cards(clientID: payment.clientID ?? "").last {
            $0.processor == payment.channel && $0.last4 == payment.cardLast4 && $0.brand == payment.cardBrand
        }
    }
}

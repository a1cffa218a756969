import Ledger
import PosPlusCore

extension PaymentService {
    /// Takes a deposit on quote `quoteID` at the counter: `amount`, or all of the deposit still to
    /// collect. The same path as a charge — the deposit rule in Jobber (quote sent or approved,
    /// no more than what is still to collect), the intent recorded (refused, in the same
    /// transaction, while another deposit on the quote is unresolved or above what is left after
    /// the deposits posplus already took), the rule again, then the terminal. Jobber's API cannot
    /// pin a note on a quote here, so a deposit waits for reconciliation to reach Jobber.
    /// A further deposit on a quote posplus already took one on needs `splitTender`.
    public func takeDeposit(
        quoteID: String, amount: Money?, on channel: any PaymentChannel, operator actor: String, idempotencyKey key: IdempotencyKey,
        splitTender: Bool = false
    ) async throws -> PaymentRecord {
        try await perform(
            .quoteDeposit(quoteID: quoteID, amount: amount, splitTender: splitTender), on: channel, by: actor, idempotencyKey: key)
    }

    func beginDeposit(
        quoteID: String, amount: Money?, splitTender: Bool, on channel: any PaymentChannel, by actor: String, key: IdempotencyKey
    ) async throws -> PaymentRecord {
        let (quote, charged) = try await check.approveDeposit(quoteID: quoteID, amount: amount)
        // The clear message first (with the quote's number); begin repeats the check atomically.
        try ledger.standing(quoteID: quote.id).checkDeposit(
            charged, owed: quote.outstandingDeposit, quote: quote.number, splitTender: splitTender)
        try await screenDeposit(
            .quoteDeposit(quoteID: quoteID, amount: amount, splitTender: splitTender), quote: quote, amount: charged, on: channel,
            by: actor, key: key)
        let begun = try ledger.begin(
            PaymentRequest(
                operation: .deposit, amount: charged, intent: .deposit, quoteID: quote.id, clientID: quote.clientID, channel: channel.name),
            idempotencyKey: key, operator: actor, owedOnInvoice: quote.outstandingDeposit, splitTender: splitTender)
        guard case .created(let payment) = begun else {
            return try await carryOn(begun.payment, as: .quoteDeposit(quoteID: quoteID, amount: amount), on: channel, by: actor)
        }
        return try await sendDeposit(payment, amount: charged, approved: quote, on: channel, operator: actor)
    }

    func sendDeposit(
        _ payment: PaymentRecord, amount: Money, approved quote: QuoteSnapshot, on channel: any PaymentChannel, operator actor: String
    ) async throws -> PaymentRecord {
        do { try await check.confirmDeposit(amount, approved: quote) } catch {
            try ledger.abandon(paymentID: payment.id, reason: "\(error)", actor: actor)
            throw error
        }
        return try await execute(payment, amount: amount, on: channel, operator: actor)
    }
}

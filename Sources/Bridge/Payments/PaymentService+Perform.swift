import Ledger
import PosPlusCore

extension PaymentService {
    /// Everything the one payment path does, as one value: what staff ask for at the counter,
    /// in the field or at the desk. (A payment a processor reports — a paid link — is recorded
    /// by the same ``AnswerRecording`` step from its webhook.)
    public enum Order: Equatable, Sendable {
        /// A sale, keyed sale, bank debit, deposit on an invoice, or a charge of a saved card.
        case charge(ChargeOrder)
        /// The deposit on a quote: `amount`, or all still to collect.
        case quoteDeposit(quoteID: String, amount: Money?, splitTender: Bool = false)
        /// Saves the card the client presents; charges nothing.
        case saveCard(clientID: String)
        /// A void or refund of an earlier payment.
        case reversal(paymentID: Int64, Reversal)
    }

    /// Carries out `order` on `channel` for `actor`, under `key`: the one skeleton every
    /// operation shares. A key seen before must name the same order, and then the payment made
    /// under it is carried on (returned, looked up, waited for, or sent if never sent) — never
    /// made again. A new key begins a new payment after the order's own checks.
    public func perform(_ order: Order, on channel: any PaymentChannel, by actor: String, idempotencyKey key: IdempotencyKey)
        async throws -> PaymentRecord
    {
        if let existing = try ledger.payment(idempotencyKey: key) {
            guard order.matches(existing, channel: channel.name) else {
                throw LedgerError.idempotencyKeyReused(key: key.rawValue, existingPaymentID: existing.id)
            }
            return try await carryOn(existing, as: order, on: channel, by: actor)
        }
        switch order {
        case .charge(let charge): return try await beginCharge(charge, on: channel, by: actor, idempotencyKey: key)
        case .quoteDeposit(let quoteID, let amount, let splitTender):
            return try await beginDeposit(quoteID: quoteID, amount: amount, splitTender: splitTender, on: channel, by: actor, key: key)
        case .saveCard(let clientID): return try await beginSaveCard(clientID: clientID, on: channel, by: actor, key: key)
        case .reversal(let paymentID, let reversal):
            return try await beginReversal(paymentID: paymentID, reversal, on: channel, by: actor, key: key)
        }
    }

    /// Carries on `payment`, recorded under the key of `order`: one never sent is sent the way
    /// `order` sends (its checks again first), one in doubt is waited for or looked up, a
    /// finished one is returned as it is.
    func carryOn(_ payment: PaymentRecord, as order: Order, on channel: any PaymentChannel, by actor: String) async throws
        -> PaymentRecord
    {
        try await carryOn(payment, on: channel) {
            switch order {
            case .charge(let charge): return try await sendRecordedCharge(payment, savedCardID: charge.savedCardID, on: channel, by: actor)
            case .quoteDeposit(let quoteID, _, _):
                let (quote, charged) = try await check.approveDeposit(quoteID: quoteID, amount: payment.requested)
                return try await sendDeposit(payment, amount: charged, approved: quote, on: channel, operator: actor)
            case .saveCard: return try await execute(payment, amount: payment.requested, on: channel, operator: actor)
            case .reversal(let paymentID, _):
                guard let original = try ledger.payment(id: paymentID) else { throw LedgerError.paymentNotFound("\(paymentID)") }
                let approval = try Self.approval(of: original, in: ledger)
                return try await execute(payment, amount: payment.requested, original: approval, on: channel, operator: actor)
            }
        }
    }
}

extension PaymentService.Order {
    /// Whether `payment`, found under this order's key, is this order: the same operation on the
    /// same channel and target, and the same amount where the order names one.
    func matches(_ payment: PaymentRecord, channel: String) -> Bool {
        guard payment.channel == channel else { return false }
        switch self {
        case .charge(let order):
            let sameTarget: Bool
            switch order.target {
            case .invoiceNumber(let number): sameTarget = payment.invoiceNumber == number
            case .invoiceID(let id): sameTarget = payment.invoiceID == id
            case .client(let id, _, let number): sameTarget = payment.clientID == id && (number == nil || payment.invoiceNumber == number)
            }
            let sameAmount = order.amount.map { $0 == payment.requested } ?? true
            return sameTarget && sameAmount && payment.operation == order.operation
        case .quoteDeposit(let quoteID, let amount, _):
            let sameAmount = amount.map { $0 == payment.requested } ?? true
            return payment.quoteID == quoteID && payment.invoiceID == nil && payment.operation == .deposit && sameAmount
        case .saveCard(let clientID):
            return payment.operation == .tokenize && payment.clientID == clientID
        case .reversal(let paymentID, let reversal):
            // "Refund the rest" retried after it succeeded would find nothing left: the key,
            // not a recomputed amount, says which refund it was.
            var sameAmount = true
            if case .refund(let amount?) = reversal { sameAmount = amount == payment.requested }
            return payment.originalPaymentID == paymentID && payment.operation == (reversal == .void ? .void : .refund) && sameAmount
        }
    }
}

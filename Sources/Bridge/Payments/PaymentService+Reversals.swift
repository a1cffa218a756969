import Ledger
import PosPlusCore

extension PaymentService {
    /// Money given back on an earlier payment.
    public enum Reversal: Equatable, Sendable {
        /// Cancels the whole payment before its batch settles; the customer is never charged.
        case void
        /// Gives back `amount`, or all that is still refundable when `nil`; may be repeated
        /// (a split refund) up to what was captured.
        case refund(Money?)
    }

    /// Voids or refunds payment `paymentID` on the channel that took it, through the same path
    /// as a charge: intent first (the ledger refuses more than is refundable, counting refunds
    /// still in flight), then the device, then the answer — which also moves the original to
    /// voided or (partially) refunded. The idempotency key works as for ``charge(_:on:operator:idempotencyKey:)``.
    public func reverse(
        paymentID: Int64, _ reversal: Reversal, on channel: any PaymentChannel, operator actor: String, idempotencyKey key: IdempotencyKey
    ) async throws -> PaymentRecord {
        try await perform(.reversal(paymentID: paymentID, reversal), on: channel, by: actor, idempotencyKey: key)
    }

    func beginReversal(paymentID: Int64, _ reversal: Reversal, on channel: any PaymentChannel, by actor: String, key: IdempotencyKey)
        async throws -> PaymentRecord
    {
        guard let original = try ledger.payment(id: paymentID) else { throw LedgerError.paymentNotFound("\(paymentID)") }
        guard original.channel == channel.name else {
            throw LedgerError.invalidRequest(
                "Payment \(paymentID) was taken on \(original.channel); void or refund it there, not on \(channel.name).")
        }
        guard original.state != .pending else {
            throw LedgerError.invalidRequest(
                "Payment \(paymentID) is a bank debit the bank has not settled yet; it cannot be voided. "
                    + "If the bank refuses it, it is returned by itself; once it settles, refund it.")
        }
        let approval = try Self.approval(of: original, in: ledger)
        let operation: PaymentOperation = reversal == .void ? .void : .refund
        let amount: Money
        switch reversal {
        case .void: amount = original.payment.captured
        case .refund(let requested): amount = requested ?? original.payment.refundCeiling.remaining
        }
        let asked = "\(reversal == .void ? "void" : "refund \(amount.formatted) of") payment \(paymentID)"
        let rule: ApprovalThresholds.Request =
            reversal == .void ? .void(paymentAge: .seconds(ledger.now().timeIntervalSince(original.createdAt))) : .refund(amount)
        let request = PaymentRequest(
            operation: operation, amount: amount, intent: .fullBalance, invoiceID: original.invoiceID,
            invoiceNumber: original.invoiceNumber, quoteID: original.quoteID, clientID: original.clientID,
            originalPaymentID: paymentID, channel: channel.name)
        // A new request that cannot run (a void of a partly refunded sale, a refund of more than
        // is left) is refused now rather than held for a manager who would approve it in vain.
        // A key already in use goes on as before: its retry returns what it became.
        if try ledger.approval(idempotencyKey: key) == nil, try ledger.payment(idempotencyKey: key) == nil {
            try ledger.checkReversal(request)
        }
        try requireApproval(
            rule, of: .reversal(paymentID: paymentID, reversal), kind: reversal == .void ? .void : .refund, amount: amount,
            summary: "\(asked) (\(original.captured.formatted) on invoice #\(original.invoiceNumber ?? "?")), on \(channel.name)",
            paymentID: paymentID, invoiceNumber: original.invoiceNumber, on: channel, by: actor, key: key)
        let begun = try ledger.begin(request, idempotencyKey: key, operator: actor)
        guard case .created(let payment) = begun else {
            return try await carryOn(begun.payment, as: .reversal(paymentID: paymentID, reversal), on: channel, by: actor)
        }
        return try await execute(payment, amount: amount, original: approval, on: channel, operator: actor)
    }

    /// The attempt that approved `payment`: the numbers its terminal needs to find it again.
    static func approval(of payment: PaymentRecord, in ledger: Ledger) throws -> OriginalCharge {
        let approved = try ledger.attempts(paymentID: payment.id).last { $0.outcome == .approved || $0.outcome == .partiallyApproved }
        guard let approved, let reference = try? PaymentReference(approved.reference) else {
            throw LedgerError.invalidRequest(
                "Payment \(payment.id) was never approved (\(payment.state.rawValue)); there is nothing to give back.")
        }
        return OriginalCharge(
            reference: reference, processorReference: approved.processorReference, deviceRecordNumber: approved.deviceRecordNumber,
            authCode: approved.authCode)
    }
}

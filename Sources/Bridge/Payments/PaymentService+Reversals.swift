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
        guard let original = try ledger.payment(id: paymentID) else { throw LedgerError.paymentNotFound("\(paymentID)") }
        guard original.channel == channel.name else {
            throw LedgerError.invalidRequest(
                "Payment \(paymentID) was taken on \(original.channel); void or refund it there, not on \(channel.name).")
        }
        let approval = try Self.approval(of: original, in: ledger)
        let operation: PaymentOperation = reversal == .void ? .void : .refund
        let payment: PaymentRecord
        if let existing = try ledger.payment(idempotencyKey: key) {
            // A retry: the same key must name the same reversal (a "refund the rest" retried
            // after it succeeded would otherwise find nothing left and fail).
            var sameAmount = true
            if case .refund(let amount?) = reversal { sameAmount = try amount == existing.requested }
            guard existing.originalPaymentID == paymentID, existing.operation == operation, existing.channel == channel.name, sameAmount
            else { throw LedgerError.idempotencyKeyReused(key: key.rawValue, existingPaymentID: existing.id ?? 0) }
            payment = existing
        } else {
            let amount: Money
            switch reversal {
            case .void: amount = try original.payment.captured
            case .refund(let requested): amount = try requested ?? original.payment.refundCeiling.remaining
            }
            let request = PaymentRequest(
                operation: operation, amount: amount, intent: .fullBalance, invoiceID: original.invoiceID,
                invoiceNumber: original.invoiceNumber, quoteID: original.quoteID, clientID: original.clientID,
                originalPaymentID: paymentID, channel: channel.name)
            payment = try ledger.begin(request, idempotencyKey: key, operator: actor).payment
        }
        return try await carryOn(payment, on: channel) {
            try await execute(payment, amount: try payment.requested, original: approval, on: channel, operator: actor)
        }
    }

    /// The attempt that approved `payment`: the numbers its terminal needs to find it again.
    static func approval(of payment: PaymentRecord, in ledger: Ledger) throws -> OriginalCharge {
        let approved = try ledger.attempts(paymentID: payment.id ?? 0).last { $0.outcome == .approved || $0.outcome == .partiallyApproved }
        guard let approved, let reference = try? PaymentReference(approved.reference) else {
            throw LedgerError.invalidRequest(
                "Payment \(payment.id ?? 0) was never approved (\(payment.state.rawValue)); there is nothing to give back.")
        }
        return OriginalCharge(
            reference: reference, processorReference: approved.processorReference, deviceRecordNumber: approved.deviceRecordNumber,
            authCode: approved.authCode)
    }
}

import Foundation
import GRDB
import PosPlusCore

/// The ledger-side rules that need the database: checks on a void's or refund's original, and
/// the mapping from an attempt's answer to a payment event. Internal: the public methods of
/// ``Ledger`` are the only way in.
enum PaymentRules {
    static func fetchPayment(_ id: Int64, in db: Database) throws -> PaymentRecord {
        guard let payment = try PaymentRecord.fetchOne(db, key: id) else { throw LedgerError.paymentNotFound("\(id)") }
        return payment
    }

    static func apply(_ event: PaymentEvent, to record: PaymentRecord) throws(LedgerError) -> Payment {
        do { return try record.payment.applying(event) } catch { throw .transition(error) }
    }

    /// A void or refund must name a payment that can take it; nothing else may name one.
    static func checkOriginal(for request: PaymentRequest, in db: Database) throws {
        guard request.operation.referencesOriginal else {
            if request.originalPaymentID != nil {
                throw LedgerError.invalidRequest("A \(request.operation.displayName.lowercased()) does not act on an earlier payment.")
            }
            return
        }
        guard let originalID = request.originalPaymentID else {
            throw LedgerError.invalidRequest("A \(request.operation.displayName.lowercased()) needs the payment it acts on.")
        }
        let original = try fetchPayment(originalID, in: db)
        let domain = original.payment
        guard domain.requested.currency == request.amount.currency else {
            throw LedgerError.invalidRequest("Payment \(originalID) is in \(original.currency), not \(request.amount.currency.code).")
        }
        let chargedBack = try chargedBack(originalID, by: request.operation, in: db)
        let pending = try pendingReversals(of: originalID, in: db)
        if request.operation == .void {
            // Only a charge is voided. Voiding a refund would leave its original marked refunded
            // while the money went back to the business: the next charge would then overcharge.
            guard original.operation.collectsMoney else {
                throw LedgerError.invalidRequest(
                    "Payment \(originalID) is a \(original.operation.displayName.lowercased()); only a charge can be voided. To take the money again, charge it."
                )
            }
            guard original.state == .approved || original.state == .partiallyApproved, pending.isEmpty else {
                throw voidRefusal(originalID, state: original.state, reversalUnderWay: !pending.isEmpty, operation: original.operation)
            }
            guard request.amount == domain.captured else {
                throw LedgerError.invalidRequest("A void reverses the whole \(domain.captured.formatted); use a refund for part of it.")
            }
            if let lost = chargedBack.first { throw chargedBackRefusal(originalID, lost, room: nil) }
            return
        }
        // Refund: what is left, less refunds already under way, must cover this one.
        guard domain.state.holdsCapturedFunds, domain.operation.collectsMoney, !pending.contains(where: { $0.operation == .void }) else {
            throw LedgerError.transition(.illegal(from: original.state, event: "refund", operation: original.operation))
        }
        // Money a lost dispute gave back to the cardholder is not refundable again.
        let reserved = pending.reduce(Int64(0)) { $0 + $1.requestedMinor } + chargedBack.reduce(Int64(0)) { $0 + $1.amountMinor }
        let room = Money(minorUnits: max(0, domain.refundCeiling.remaining.minorUnits - reserved), currency: request.amount.currency)
        guard request.amount.minorUnits <= room.minorUnits else {
            if let lost = chargedBack.first { throw chargedBackRefusal(originalID, lost, room: room) }
            throw LedgerError.transition(.refundExceedsCeiling(requested: request.amount, remaining: room))
        }
    }

    /// Why a charge cannot be voided, in words the front desk can act on (the page shows the
    /// sentence as it is): a partly refunded sale is refunded, not voided; a settled one likewise.
    static func voidRefusal(_ id: Int64, state: PaymentState, reversalUnderWay: Bool, operation: PaymentOperation) -> LedgerError {
        if reversalUnderWay {
            return .invalidRequest("A void or refund of payment \(id) is still under way; wait for its answer before voiding it.")
        }
        switch state {
        case .partiallyRefunded:
            return .invalidRequest(
                "Payment \(id) has already been partly refunded, so it can no longer be voided. To give back the rest, refund it.")
        case .refunded: return .invalidRequest("Payment \(id) has already been refunded in full; there is nothing left to void.")
        case .voided: return .invalidRequest("Payment \(id) is already voided; the customer is not charged.")
        case .settled:
            return .invalidRequest("Payment \(id) has settled with the bank, so it can no longer be voided. Refund it instead.")
        default: return .transition(.illegal(from: state, event: "void", operation: operation))
        }
    }

    /// Voids and refunds of `originalID` that have not reached an answer yet.
    static func pendingReversals(of originalID: Int64, in db: Database) throws -> [PaymentRecord] {
        try PaymentRecord
            .filter(Column("originalPaymentID") == originalID)
            .filter([PaymentState.intended, .sent, .unknown].map(\.rawValue).contains(Column("state")))
            .fetchAll(db)
    }

    /// When an approved void or refund lands, the original payment changes with it.
    static func applyToOriginal(of reversal: PaymentRecord, in db: Database, actor: String, at time: Date) throws {
        guard reversal.state == .approved, let originalID = reversal.originalPaymentID else { return }
        var original = try fetchPayment(originalID, in: db)
        let event: PaymentEvent = reversal.operation == .void ? .void : .refund(reversal.captured)
        do {
            let next = try original.payment.applying(event)
            original.adopt(next, at: time)
            try original.update(db)
            try AuditChain.append(
                db, kind: "payment.\(reversal.operation.rawValue)ed", paymentID: originalID, actor: actor,
                detail: [
                    "by": .integer(reversal.id), "state": .text(original.state.rawValue), "refunded": .integer(original.refundedMinor),
                ],
                at: time)
        } catch let error as PaymentTransitionError {
            try AuditChain.append(
                db, kind: "payment.anomaly", paymentID: originalID, actor: actor,
                detail: ["by": .integer(reversal.id), "problem": .text(error.description)], at: time)
        }
    }

    /// The answer as the state machine must see it, whatever words the terminal or processor
    /// used: money is what was captured. An "approval" of less than was asked is a partial
    /// approval (a terminal approving $0.02 of a $50.00 sale took $0.02 and $49.98 is still due);
    /// a "partial approval" of everything is an approval, of nothing a decline; one that does
    /// not say how much it took leaves the payment in doubt, to be looked up — never a refusal
    /// to record, which would leave an answer that moved money unwritten.
    static func normalized(_ result: AttemptResult, requested: Money) -> AttemptResult {
        switch result {
        case .approved(var details):
            guard let captured = details.captured, captured.currency == requested.currency, captured.minorUnits < requested.minorUnits
            else { return result }
            if captured.isPositive {
                details.message = details.message ?? "Approved \(captured.formatted) of \(requested.formatted)."
                return .partiallyApproved(details)
            }
            details.captured = nil  // "approved zero": some terminals' way of saying "what was asked"
            return .approved(details)
        case .partiallyApproved(var details):
            guard let captured = details.captured, captured.currency == requested.currency else {
                return .unknown(
                    reason: "A partial approval that did not say how much was taken (\(details.message ?? "no message")); look it up.")
            }
            if captured.minorUnits >= requested.minorUnits {
                details.captured = requested
                return .approved(details)
            }
            if !captured.isPositive { return .declined(details) }
            return result
        case .declined, .pending, .unknown, .notFound:
            return result
        }
    }

    static func event(for result: AttemptResult, requested: Money) throws -> PaymentEvent {
        switch result {
        case .approved(let details): return .approve(captured: details.captured ?? requested)
        case .partiallyApproved(let details):
            guard let captured = details.captured else {
                throw LedgerError.invalidRequest("A partial approval must say how much was captured.")
            }
            return .partiallyApprove(captured: captured)
        case .declined: return .decline
        case .pending(let details): return .acceptPending(amount: details.captured ?? requested)
        case .unknown: return .lose
        case .notFound: return .notFound
        }
    }

    static func outcome(of result: AttemptResult) -> AttemptRecord.Outcome {
        switch result {
        case .approved: return .approved
        case .partiallyApproved: return .partiallyApproved
        case .declined: return .declined
        case .pending: return .pending
        case .unknown: return .unknown
        case .notFound: return .notFound
        }
    }

    static func details(of result: AttemptResult) -> AttemptDetails? {
        switch result {
        case .approved(let details), .partiallyApproved(let details), .declined(let details), .pending(let details): return details
        case .unknown, .notFound: return nil
        }
    }

    static func reason(of result: AttemptResult) -> String? {
        switch result {
        case .unknown(let reason): return reason
        case .notFound: return "Not found at the processor; safe to try again."
        default: return nil
        }
    }

    static func movedMoney(_ result: AttemptResult) -> Bool {
        switch result {
        case .approved, .partiallyApproved, .pending: return true
        case .declined, .unknown, .notFound: return false
        }
    }

    static func isUnresolved(_ result: AttemptResult) -> Bool {
        if case .unknown = result { return true }
        return false
    }
}

/// Replaces any text that looks like a card number before it is stored. Refusing instead
/// would lose the record of a payment that really happened; redacting keeps the record and
/// drops only the dangerous part.
enum CardDataScrubber {
    static let redacted = "[redacted: looked like a card number]"

    static func scrub(_ text: String?) -> String? {
        guard let text else { return nil }
        return CardNumberScreen.containsCardNumber(text) ? redacted : text
    }
}

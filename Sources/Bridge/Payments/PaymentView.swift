import Foundation
import Ledger
import PosPlusCore

/// A payment as people and scripts read it, field for field the same in the CLI's JSON and the
/// API's answers: the ledger's record with exact amounts, what is still due on a partial
/// approval, the attempts, and one sentence for the person at the counter. Only the shape of an
/// amount differs between the two (`Amount`), so neither can drift from the other.
public struct PaymentView<Amount: Encodable & Sendable>: Encodable, Sendable {
    public struct Attempt: Encodable, Sendable {
        public var number: Int
        public var reference: String
        public var outcome: String
        public var resultCode: String?
        public var message: String?
        public var startedAt: Date
        public var finishedAt: Date?
    }

    public var id: Int64
    public var createdAt: Date
    public var updatedAt: Date
    public var operation: String
    public var state: String
    public var requested: Amount
    public var captured: Amount
    public var refunded: Amount
    /// On a partial approval: what the customer still owes on this charge.
    public var stillDue: Amount?
    public var intent: String
    public var invoiceNumber: String?
    public var invoiceID: String?
    public var quoteID: String?
    public var clientID: String?
    public var originalPaymentID: Int64?
    public var channel: String
    public var operatorName: String
    public var card: String?
    public var authCode: String?
    public var processorReference: String?
    public var message: String?
    public var idempotencyKey: String
    public var summary: String
    public var attempts: [Attempt]?
    /// Card disputes (chargebacks) the processor reported on it; absent when there are none.
    public var disputes: [Dispute]?

    /// A card dispute as the processor reported it (its id, words and decision).
    public struct Dispute: Encodable, Sendable {
        public var id: String
        public var amount: Amount
        public var reason: String
        public var status: String
        public var open: Bool
        public var openedAt: Date
        public var closedAt: Date?
    }

    enum CodingKeys: String, CodingKey {
        case id, createdAt, updatedAt, operation, state, requested, captured, refunded, stillDue, intent, invoiceNumber, invoiceID,
            quoteID, clientID, originalPaymentID, channel, card, authCode, processorReference, message, idempotencyKey, summary,
            attempts, disputes
        case operatorName = "operator"
    }

    /// `amount` gives each amount its caller's shape.
    public init(
        _ payment: PaymentRecord, attempts: [AttemptRecord]? = nil, disputes: [DisputeRecord] = [], amount: (Money) -> Amount
    ) {
        id = payment.id
        createdAt = payment.createdAt
        updatedAt = payment.updatedAt
        operation = payment.operation.rawValue
        state = payment.state.rawValue
        requested = amount(payment.requested)
        captured = amount(payment.captured)
        refunded = amount(payment.refunded)
        stillDue = payment.state == .partiallyApproved ? amount(payment.payment.amountDue) : nil
        intent = payment.intent.rawValue
        invoiceNumber = payment.invoiceNumber
        invoiceID = payment.invoiceID
        quoteID = payment.quoteID
        clientID = payment.clientID
        originalPaymentID = payment.originalPaymentID
        channel = payment.channel
        operatorName = payment.operator
        card = payment.maskedCard
        authCode = payment.authCode
        processorReference = payment.processorReference
        message = payment.message
        idempotencyKey = payment.idempotencyKey
        summary = PaymentSummary.sentence(payment)
        self.attempts = attempts?.map {
            Attempt(
                number: $0.number, reference: $0.reference, outcome: $0.outcome.rawValue, resultCode: $0.resultCode,
                message: $0.message, startedAt: $0.startedAt, finishedAt: $0.finishedAt)
        }
        self.disputes =
            disputes.isEmpty
            ? nil
            : disputes.map {
                Dispute(
                    id: $0.processorDisputeID, amount: amount($0.amount), reason: $0.reason, status: $0.status, open: $0.isOpen,
                    openedAt: $0.openedAt, closedAt: $0.closedAt)
            }
    }
}

/// One sentence about a payment: what happened, and what to do next when something is left to do.
public enum PaymentSummary {
    public static func sentence(_ payment: PaymentRecord) -> String {
        let what =
            "\(payment.operation.displayName) of \(payment.requested.formatted)"
            + (payment.invoiceNumber.map { " on invoice #\($0)" } ?? "")
        let card = payment.maskedCard.map { " on \($0)" } ?? ""
        let auth = payment.authCode.map { ", auth \($0)" } ?? ""
        switch payment.state {
        case .approved: return "\(what): approved\(card)\(auth)."
        case .partiallyApproved:
            return
                "\(what): only \(payment.captured.formatted) was approved\(card); \(payment.payment.amountDue.formatted) is still due — take it another way, or void this payment."
        case .pending: return "\(what): accepted; the bank debit settles in a few days."
        case .declined: return "\(what): declined\(payment.message.map { " (\($0))" } ?? ""); nothing was charged."
        case .intended, .sent, .unknown:
            return "\(what): the answer is not known yet; posplus is finding out. Do not charge again."
        case .abandoned: return "\(what): never sent; nothing was charged\(payment.message.map { " (\($0))" } ?? "")."
        case .voided: return "\(what): voided; the customer is not charged."
        case .partiallyRefunded: return "\(what): \(payment.refunded.formatted) refunded so far."
        case .refunded: return "\(what): refunded in full."
        case .settled: return "\(what): settled."
        case .returned: return "\(what): returned by the bank after it looked paid."
        }
    }
}

import Foundation
import Ledger
import PosPlusCore

/// A payment as the API shows it: the ledger's record with exact amounts, what is still due on
/// a partial approval, and a sentence for the person at the counter.
struct PaymentView: Encodable {
    struct Attempt: Encodable {
        var number: Int
        var reference: String
        var outcome: String
        var resultCode: String?
        var message: String?
        var startedAt: Date
        var finishedAt: Date?
    }

    var id: Int64
    var createdAt: Date
    var updatedAt: Date
    var operation: String
    var state: String
    var requested: AmountView
    var captured: AmountView
    var refunded: AmountView
    /// On a partial approval: what the customer still owes on this charge.
    var stillDue: AmountView?
    var intent: String
    var invoiceNumber: String?
    var invoiceID: String?
    var quoteID: String?
    var clientID: String?
    var originalPaymentID: Int64?
    var channel: String
    var operatorName: String
    var card: String?
    var authCode: String?
    var message: String?
    var idempotencyKey: String
    var summary: String
    var attempts: [Attempt]?

    enum CodingKeys: String, CodingKey {
        case id, createdAt, updatedAt, operation, state, requested, captured, refunded, stillDue, intent, invoiceNumber, invoiceID,
            quoteID, clientID, originalPaymentID, channel, card, authCode, message, idempotencyKey, summary, attempts
        case operatorName = "operator"
    }

    init(_ payment: PaymentRecord, attempts: [AttemptRecord]? = nil) {
        id = payment.id
        createdAt = payment.createdAt
        updatedAt = payment.updatedAt
        operation = payment.operation.rawValue
        state = payment.state.rawValue
        requested = AmountView(payment.requested)
        captured = AmountView(payment.captured)
        refunded = AmountView(payment.refunded)
        stillDue = payment.state == .partiallyApproved ? AmountView(payment.payment.amountDue) : nil
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
        message = payment.message
        idempotencyKey = payment.idempotencyKey
        summary = Self.summary(payment)
        self.attempts = attempts?.map {
            Attempt(
                number: $0.number, reference: $0.reference, outcome: $0.outcome.rawValue, resultCode: $0.resultCode,
                message: $0.message, startedAt: $0.startedAt, finishedAt: $0.finishedAt)
        }
    }

    /// One sentence: what happened, and what to do next when something is left to do.
    static func summary(_ payment: PaymentRecord) -> String {
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

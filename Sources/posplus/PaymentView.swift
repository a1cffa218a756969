import Foundation
import Ledger
import PosPlusCore

/// A payment as the CLI prints it, in text or JSON. JSON amounts carry both exact minor
/// units and decimal text, so a script never has to parse a float.
struct PaymentView: Encodable {
    struct Amount: Encodable {
        var minorUnits: Int64
        var currency: String
        var text: String

        init(_ money: Money) {
            minorUnits = money.minorUnits
            currency = money.currency.code
            text = money.formatted
        }
    }

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
    var requested: Amount
    var captured: Amount
    var refunded: Amount
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
    var processorReference: String?
    var message: String?
    var idempotencyKey: String
    var attempts: [Attempt]?

    init(_ payment: PaymentRecord, attempts: [AttemptRecord]? = nil) {
        id = payment.id
        createdAt = payment.createdAt
        updatedAt = payment.updatedAt
        operation = payment.operation.rawValue
        state = payment.state.rawValue
        requested = Amount(payment.requested)
        captured = Amount(payment.captured)
        refunded = Amount(payment.refunded)
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
        self.attempts = attempts?.map {
            Attempt(
                number: $0.number, reference: $0.reference, outcome: $0.outcome.rawValue, resultCode: $0.resultCode,
                message: $0.message, startedAt: $0.startedAt, finishedAt: $0.finishedAt)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, createdAt, updatedAt, operation, state, requested, captured, refunded, intent, invoiceNumber, invoiceID,
            quoteID, clientID, originalPaymentID, channel, card, authCode, processorReference, message, idempotencyKey, attempts
        case operatorName = "operator"
    }

    /// Lines for `payments show`.
    var text: String {
        var lines = [
            "Payment \(id): \(operation) \(requested.text) — \(state)",
            "  captured \(captured.text), refunded \(refunded.text) (\(intent))",
            "  created \(Formatting.timestamp(createdAt)) by \(operatorName) on \(channel)",
        ]
        if let invoiceNumber { lines.append("  invoice #\(invoiceNumber)" + (clientID.map { " for client \($0)" } ?? "")) }
        if let quoteID { lines.append("  quote \(quoteID)") }
        if let originalPaymentID { lines.append("  acts on payment \(originalPaymentID)") }
        if let card { lines.append("  card \(card)" + (authCode.map { ", auth \($0)" } ?? "")) }
        if let message { lines.append("  \(message)") }
        lines.append("  idempotency key \(idempotencyKey)")
        for attempt in attempts ?? [] {
            lines.append(
                "  attempt \(attempt.number) ref \(attempt.reference): \(attempt.outcome)"
                    + (attempt.resultCode.map { " [\($0)]" } ?? "") + (attempt.message.map { " \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

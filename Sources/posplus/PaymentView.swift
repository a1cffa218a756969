import Bridge
import Foundation
import Ledger
import PosPlusCore

/// An amount as the CLI's JSON prints it: exact minor units and the formatted text, so a
/// script never has to parse a float.
struct CLIAmount: Encodable, Sendable {
    var minorUnits: Int64
    var currency: String
    var text: String

    init(_ money: Money) {
        minorUnits = money.minorUnits
        currency = money.currency.code
        text = money.formatted
    }
}

/// A payment as the CLI prints it, in text or JSON: Bridge's shared view (the API's fields) with
/// the CLI's amounts.
typealias PaymentView = Bridge.PaymentView<CLIAmount>

extension Bridge.PaymentView where Amount == CLIAmount {
    init(_ payment: PaymentRecord, attempts: [AttemptRecord]? = nil, disputes: [DisputeRecord] = []) {
        self.init(payment, attempts: attempts, disputes: disputes, amount: CLIAmount.init)
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

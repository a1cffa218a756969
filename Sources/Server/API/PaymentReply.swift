import Bridge
import Hummingbird
import Ledger
import PosPlusCore

/// The HTTP answer to a money request, from what the ledger recorded: the same record gives the
/// same answer, so a retry under the same key reads exactly as the first answer did.
///
/// - approved, partly approved (with what is still due), pending (a bank debit), and the later
///   states of an earlier payment: 200 with the payment.
/// - declined: 402 `declined`, with the payment — a normal answer, nothing was charged.
/// - in doubt (the terminal's answer was lost): 202 `in_doubt`, with the payment — posplus is
///   finding out; charging again would risk charging twice.
/// - abandoned (recorded, never sent): 409 `abandoned` — nothing was charged; a new request
///   needs a new key.
enum PaymentReply {
    struct Body: Encodable {
        var error: Problem?
        var payment: PaymentView
        var card: CardView?
    }

    struct Problem: Encodable {
        var code: String
        var message: String
    }

    /// 402: what Stripe answers a declined card with; HTTPTypes has no name for it.
    static let paymentRequired = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")

    static func response(_ payment: PaymentRecord, card: CardView? = nil) -> Response {
        let view = PaymentView(payment)
        let (status, problem) = outcome(payment)
        return APIJSON.response(status, Body(error: problem, payment: view, card: card))
    }

    static func outcome(_ payment: PaymentRecord) -> (HTTPResponse.Status, Problem?) {
        let subject = subject(of: payment)
        switch payment.state {
        case .declined:
            // The terminal's or processor's own words, as a sentence of their own.
            let reason = payment.message.map { ": " + ($0.hasSuffix(".") ? String($0.dropLast()) : $0) } ?? ""
            let outcome =
                payment.operation.collectsMoney
                ? "Nothing was charged. Ask for another card or another way to pay."
                : "No money moved. Check the payment and try again, or ask a manager."
            return (Self.paymentRequired, Problem(code: "declined", message: "\(subject) was declined\(reason). \(outcome)"))
        case .intended, .sent, .unknown:
            return (
                .accepted,
                Problem(
                    code: "in_doubt",
                    message:
                        "The answer for \(subject.lowercasedFirst) was lost, so posplus does not know yet whether money moved. Do not try again with a new key: posplus is asking (payment \(payment.id)); send this request again with the same Idempotency-Key to see the answer."
                )
            )
        case .abandoned:
            let reason = payment.message.map { " (\($0))" } ?? ""
            return (
                .conflict,
                Problem(
                    code: "abandoned",
                    message:
                        "\(subject) was never sent\(reason); nothing was charged. To try again, send the request with a new Idempotency-Key."
                )
            )
        case .approved, .partiallyApproved, .pending, .voided, .partiallyRefunded, .refunded, .settled, .returned:
            return (.ok, nil)
        }
    }

    /// "The charge of $1,234.56 on invoice #1043", "The refund of $50.00", "Saving the card".
    static func subject(of payment: PaymentRecord) -> String {
        switch payment.operation {
        case .tokenize: return "Saving the card"
        case .void: return "The void of payment \(payment.originalPaymentID.map(String.init) ?? "?")"
        case .refund: return "The refund of \(payment.requested.formatted)"
        case .sale, .keyedSale, .achDebit, .tokenSale, .deposit:
            return "The \(payment.operation.displayName.lowercased()) of \(payment.requested.formatted)"
                + (payment.invoiceNumber.map { " on invoice #\($0)" } ?? "")
        }
    }
}

extension String {
    /// "The charge" → "the charge", for a subject in the middle of a sentence.
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}

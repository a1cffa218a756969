import Foundation
import HTTPClient
import Ledger
import Messaging
import PosPlusCore

/// Receipts travel through the outbox, like payment links: a mail server or SMS service that is
/// down delays a receipt, never loses it, and a job is done only once the message was taken.
///
/// One job kind, `receipt.send`. Its payload names the payment and, when a person chose it, the
/// destination; without one the customer's preferred channel is looked up in Jobber when the job
/// runs. The automatic job of a payment has one dedupe key per payment, so however often its
/// answer is recorded (a retry, Recovery finding it again) the customer gets one receipt.
public enum ReceiptDelivery {
    public static let kind = "receipt.send"

    /// The job `receipts.mode = auto` queues with a payment's answer.
    public static func automaticJob(paymentID: Int64) -> NewOutboxJob {
        NewOutboxJob(kind: kind, dedupeKey: "\(kind)-auto-\(paymentID)", payload: payload(paymentID: paymentID, to: nil))
    }

    /// A person's request to send (or send again); `key` makes a retried request one send.
    public static func requestedJob(paymentID: Int64, to destination: ReceiptDestination?, key: String) -> NewOutboxJob {
        NewOutboxJob(kind: kind, dedupeKey: "\(kind)-\(paymentID)-\(key)", payload: payload(paymentID: paymentID, to: destination))
    }

    static func payload(paymentID: Int64, to destination: ReceiptDestination?) -> String {
        var object: [String: JSONValue] = ["payment": .number(String(paymentID))]
        if let destination {
            object["channel"] = .string(destination.channel)
            object["to"] = .string(destination.address)
        }
        return JSONValue.object(object).serialized
    }

    /// Sends a `receipt.send` job's receipt. Throws (and the job is retried) when the message
    /// was not taken; records `receipt.sent` once it was, and a job that finds that record from
    /// an earlier run (sent, then the process died before the job was marked done) sends nothing.
    public static func handler<C: Clock<Duration>, S: Clock<Duration>>(
        builder: ReceiptBuilder<C>, mailer: SMTPMailer?, sms: SMSSender<S>?, timeZone: TimeZone
    ) -> OutboxWorker.Handler {
        { job in
            let json = try JSONValue.parse(Array(job.payload.utf8))
            guard let id = json["payment"]?.int.map(Int64.init) else {
                throw LedgerError.invalidRequest("outbox job \(job.id) names no payment")
            }
            let ledger = builder.ledger
            let alreadySent = try ledger.auditEvents(paymentID: id).contains {
                $0.kind == "receipt.sent" && (try? JSONValue.parse(Array($0.detail.utf8)))?["job"]?.int.map(Int64.init) == job.id
            }
            if alreadySent { return }
            let receipt = try await builder.receipt(paymentID: id)
            let destination: ReceiptDestination
            switch (json["channel"]?.string, json["to"]?.string) {
            case ("email", let to?): destination = .email(to)
            case ("sms", let to?): destination = .sms(to)
            default:
                guard let preferred = receipt.invoice?.client.preferred else { throw ReceiptError.noDestination(id) }
                destination = preferred
            }
            switch destination {
            case .email(let address):
                guard let mailer else { throw MessagingError.notConfigured("Email (smtp.url and smtp.from)") }
                try await mailer.send(
                    EmailMessage(
                        to: try EmailAddress(address), subject: ReceiptText.subject(receipt),
                        body: ReceiptText.render(receipt, timeZone: timeZone), html: ReceiptHTML.render(receipt, timeZone: timeZone)))
            case .sms(let number):
                guard let sms else { throw MessagingError.notConfigured("SMS (sms.account_sid, sms.auth_token and sms.from)") }
                _ = try await sms.send(ReceiptText.sms(receipt), to: try PhoneNumber(number))
            }
            try ledger.recordAuditEvent(
                kind: "receipt.sent", paymentID: id, actor: "outbox",
                detail: ["job": .integer(job.id), "channel": .text(destination.channel), "kind": .text(receipt.kind.rawValue)])
        }
    }
}

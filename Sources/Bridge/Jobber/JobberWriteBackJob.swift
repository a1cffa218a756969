import Foundation
import HTTPClient
import Jobber
import Ledger
import PosPlusCore

/// The outbox job that leaves a payment's trace on its Jobber invoice.
///
/// The job is queued in the same ledger transaction that records the money moving, so a crash
/// can neither lose it nor queue it twice (its dedupe key is the payment's reference); the
/// handler is ``JobberWriteBack``, which looks for its own note before creating one, so a crash
/// after the note but before the job was marked done does not pin a second note either.
public enum JobberWriteBackJob {
    /// The outbox kind the worker dispatches on.
    public static let kind = "jobber.writeBack"

    /// The jobs for a payment that just moved money: one note, or none when the payment is for
    /// no Jobber invoice (a quote's deposit has no invoice to pin it on yet).
    /// The note for money on an invoice, or — a deposit at the counter — on its quote.
    public static func jobs(
        invoiceID: String?, quoteID: String? = nil, reference: String, amount: Money, method: String, card: MaskedCard? = nil,
        authCode: String? = nil, operator actor: String, at time: Date, action: WriteBackNote.Action = .payment
    ) -> [NewOutboxJob] {
        let subject: WriteBackNote.Subject
        if let invoiceID {
            subject = .invoice(invoiceID)
        } else if let quoteID {
            subject = .quote(quoteID)
        } else {
            return []
        }
        return [
            job(
                for: WriteBackNote(
                    on: subject, reference: reference, amount: amount, method: method, card: card?.display, authCode: authCode,
                    operatorName: actor, time: noteTime(time), action: action))
        ]
    }

    /// The job for `note`.
    public static func job(for note: WriteBackNote) -> NewOutboxJob {
        var fields: [String: JSONValue] = [
            "reference": .string(note.reference),
            "amountMinor": .number(String(note.amount.minorUnits)), "currency": .string(note.amount.currency.code),
            "method": .string(note.method), "operator": .string(note.operatorName), "time": .string(note.time),
            "action": .string(note.action.rawValue),
        ]
        switch note.subject {
        case .invoice(let id): fields["invoiceID"] = .string(id)
        case .quote(let id): fields["quoteID"] = .string(id)
        }
        if let card = note.card { fields["card"] = .string(card) }
        if let authCode = note.authCode { fields["authCode"] = .string(authCode) }
        return NewOutboxJob(kind: kind, dedupeKey: "\(kind)-\(note.reference)", payload: JSONValue.object(fields).serialized)
    }

    /// The note a job's payload describes; throws naming the field that is missing or wrong.
    public static func note(fromPayload payload: String) throws -> WriteBackNote {
        let json = try JSONValue.parse(Array(payload.utf8))
        func text(_ field: String) throws -> String {
            guard let value = json[field]?.string, !value.isEmpty else {
                throw LedgerError.invalidRequest("write-back job payload has no \(field)")
            }
            return value
        }
        guard let minor = json["amountMinor"]?.numberText.flatMap(Int64.init) else {
            throw LedgerError.invalidRequest("write-back job payload has no whole amountMinor")
        }
        let subject: WriteBackNote.Subject =
            if let quote = json["quoteID"]?.string, !quote.isEmpty { .quote(quote) } else { .invoice(try text("invoiceID")) }
        return WriteBackNote(
            on: subject, reference: try text("reference"),
            amount: Money(minorUnits: minor, currency: try Currency(code: try text("currency"))), method: try text("method"),
            card: json["card"]?.string, authCode: json["authCode"]?.string, operatorName: try text("operator"), time: try text("time"),
            action: try json["action"]?.string.map { text in
                guard let action = WriteBackNote.Action(rawValue: text) else {
                    throw LedgerError.invalidRequest("write-back job payload has an unknown action \"\(text)\"")
                }
                return action
            } ?? .payment)
    }

    /// What a job waiting for the account says (`posplus jobber status` counts these).
    public static let waitingForReconnect = "waiting for `posplus jobber connect`"

    /// The worker's handler: writes the note (once) through `writeBack`; a failure is retried.
    /// While no account is connected (disconnected in Jobber, or its tokens refused) the job
    /// waits instead: the token store is read before every request, so no request was sent,
    /// and the note goes out once staff reconnect.
    public static func handler<C: Clock<Duration>>(writeBack: JobberWriteBack<C>) -> OutboxWorker.Handler {
        { job in
            let note = try note(fromPayload: job.payload)
            do { _ = try await writeBack.write(note) } catch {
                if (error as? JobberError)?.needsReconnect == true {
                    throw OutboxJobWaiting(reason: "\(waitingForReconnect): \(error)")
                }
                throw error
            }
        }
    }

    /// How a note states a time: UTC, to the second, the same on every machine.
    public static func noteTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())  // 2026-11-22T15:04:05Z
    }
}

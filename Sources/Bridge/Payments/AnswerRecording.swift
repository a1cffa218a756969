import Foundation
import Jobber
import Ledger
import PosPlusCore

/// Step 6 and 7 in one place, for a fresh answer and for one Recovery found: the answer is
/// recorded with the Jobber note it calls for in one transaction, and a card the customer
/// saved is kept on file (token, brand, last four, expiry — never the number) for the client.
struct AnswerRecording {
    let ledger: Ledger
    /// `receipts.mode`: auto queues the receipt with the answer, suggest notes it is ready.
    var receipts = AutomationMode.off
    /// `declines.mode`: off starts no recovery after a decline; suggest and auto queue its start.
    var declines = AutomationMode.off

    /// `actor` signs the audit events; `noteBy` is who took the payment, for the Jobber note;
    /// `channel` says how the note names the way it was paid.
    func record(
        _ answer: ChannelAnswer, attempt: Int64, reference: PaymentReference, of payment: PaymentRecord, channel: any PaymentChannel,
        actor: String, noteBy: String
    ) throws -> PaymentRecord {
        if let saved = answer.savedCard, let client = payment.clientID {
            try ledger.saveCard(
                NewCardOnFile(
                    clientID: client, processor: channel.name, token: saved.token, card: saved.card, expiryMonth: saved.expiry.month,
                    expiryYear: saved.expiry.year),
                actor: actor)
        }
        let note = PaymentWriteBack.jobs(
            for: payment, reference: reference, result: answer.result, method: channel.noteMethod(for: payment.operation), operator: noteBy,
            at: ledger.now())
        // Money moved on an invoice with open links: they may have to stop taking payments.
        let links = note.isEmpty ? [] : try SettledInvoiceLinks.jobs(for: payment, reference: reference.rawValue, in: ledger)
        let followUp = ReceiptFollowUp(mode: receipts)
        let receipt = followUp.jobs(for: payment, movedMoney: Self.movesMoney(answer.result))
        let recovery = try DeclineJobs.paid(payment, in: ledger)
        let recorded = try ledger.finishAttempt(
            attempt, with: answer.result, actor: actor, jobs: note + links + receipt + recovery,
            ifDeclined: declines == .off ? [] : DeclineJobs.start(for: payment).map { [$0] } ?? [])
        try followUp.noteReady(recorded, in: ledger, actor: actor)
        return recorded
    }

    /// An approval (in full or in part): the answers a receipt follows.
    static func movesMoney(_ result: AttemptResult) -> Bool {
        switch result {
        case .approved, .partiallyApproved: true
        case .declined, .pending, .unknown, .notFound: false
        }
    }
}

/// The Jobber note for any payment, queued with the answer that moved the money (a bank debit's
/// when it settles: ``settlementJobs(for:reference:method:operator:at:)``).
enum PaymentWriteBack {
    static func jobs(
        for payment: PaymentRecord, reference: PaymentReference, result: AttemptResult, method: String, operator actor: String,
        at time: Date
    ) -> [NewOutboxJob] {
        let details: AttemptDetails
        switch result {
        case .approved(let answer), .partiallyApproved(let answer): details = answer
        case .declined, .pending, .unknown, .notFound: return []  // a bank debit is written back when it settles
        }
        let amount = details.captured ?? payment.requested
        let action: WriteBackNote.Action = payment.operation == .void ? .void : payment.operation == .refund ? .refund : .payment
        return JobberWriteBackJob.jobs(
            invoiceID: payment.invoiceID, quoteID: payment.quoteID, reference: reference.rawValue, amount: amount, method: method,
            card: details.card,
            authCode: details.authCode, operator: actor, at: time, action: action)
    }

    /// The note for a bank debit that settled: what it captured, the way it was paid.
    static func settlementJobs(for payment: PaymentRecord, reference: String, method: String, operator actor: String, at time: Date)
        -> [NewOutboxJob]
    {
        let amount = payment.captured
        guard amount.isPositive else { return [] }
        return JobberWriteBackJob.jobs(
            invoiceID: payment.invoiceID, quoteID: payment.quoteID, reference: reference, amount: amount, method: method, operator: actor,
            at: time)
    }
}

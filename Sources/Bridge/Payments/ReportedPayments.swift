import Foundation
import Ledger
import PosPlusCore

/// Money a processor reports has moved without posplus asking — a customer paid a link — taken
/// along the same steps as every other payment: the intent recorded under its key (no standing
/// check: the money moved whatever the ledger thinks, and reconciliation lists any excess), an
/// attempt under the link's reference, and the answer recorded by ``AnswerRecording`` with its
/// Jobber note and follow-up work in one transaction.
///
/// Every step is idempotent, so a report processed twice, or whose processing died halfway
/// (the intent begun, or its attempt started but not finished), is completed, never doubled.
public struct ReportedPayments: Sendable {
    public let ledger: Ledger
    /// Told as each step boundary is passed; the crash test kills `serve` there.
    public var stepObserver: (@Sendable (PaymentStep) -> Void)?
    /// `receipts.mode` for money the processor reports (a link the customer paid).
    public var receiptMode = AutomationMode.off
    /// `declines.mode`: a reported decline (a card refused on a link's page) starts its
    /// recovery with its record, unless off.
    public var declineMode = AutomationMode.off

    public init(
        ledger: Ledger, stepObserver: (@Sendable (PaymentStep) -> Void)? = nil, receiptMode: AutomationMode = .off,
        declineMode: AutomationMode = .off
    ) {
        self.ledger = ledger
        self.stepObserver = stepObserver
        self.receiptMode = receiptMode
        self.declineMode = declineMode
    }

    /// One payment as the processor reported it.
    public struct Report: Sendable {
        /// What moved, on which channel (a link channel such as `link:stripe`).
        public var request: PaymentRequest
        /// The processor's own id for the payment, as a key: the same report is the same payment.
        public var idempotencyKey: IdempotencyKey
        /// Our reference the processor carried (the link's).
        public var reference: PaymentReference
        /// Approved (a card), pending (a bank debit until it settles), or declined (a card refused
        /// on a link's page).
        public var answer: ChannelAnswer
        /// Who the audit log says recorded it.
        public var actor: String
        /// Who paid, as the Jobber note says it.
        public var paidBy: String

        public init(
            request: PaymentRequest, idempotencyKey: IdempotencyKey, reference: PaymentReference, answer: ChannelAnswer, actor: String,
            paidBy: String
        ) {
            self.request = request
            self.idempotencyKey = idempotencyKey
            self.reference = reference
            self.answer = answer
            self.actor = actor
            self.paidBy = paidBy
        }
    }

    /// Records `report` on `channel` (it names how the note describes the payment); returns the
    /// payment as the ledger now has it.
    public func record(_ report: Report, on channel: any PaymentChannel) throws -> PaymentRecord {
        let payment = try ledger.begin(report.request, idempotencyKey: report.idempotencyKey, operator: report.actor).payment
        guard payment.state == .intended || payment.state == .sent else { return payment }
        let paymentID = payment.id
        stepObserver?(.intentRecorded)
        let open = try ledger.attempts(paymentID: paymentID).last { $0.outcome == .inFlight || $0.outcome == .unknown }
        let attempt =
            try open?.id
            ?? ledger.startAttempt(paymentID: paymentID, reference: report.reference, actor: report.actor).id
        stepObserver?(.attemptStarted)
        let recorded = try AnswerRecording(ledger: ledger, receipts: receiptMode, declines: declineMode).record(
            report.answer, attempt: attempt, reference: report.reference, of: payment, channel: channel, actor: report.actor,
            noteBy: report.paidBy)
        stepObserver?(.answerRecorded)
        return recorded
    }

    /// Records that a reported bank debit settled, with the Jobber note that waited for it and,
    /// under `receipts.mode`, its receipt: a debit's money is in only now (its pending answer
    /// queued neither), so the customer hears of it as of a card's approval.
    public func settle(_ payment: PaymentRecord, reference: String, on channel: any PaymentChannel, actor: String, paidBy: String)
        throws -> PaymentRecord
    {
        let note = PaymentWriteBack.settlementJobs(
            for: payment, reference: reference, method: channel.noteMethod(for: payment.operation), operator: paidBy, at: ledger.now())
        let followUp = ReceiptFollowUp(mode: receiptMode)
        let receipt = followUp.jobs(for: payment, movedMoney: payment.captured.isPositive)
        let settled = try ledger.settle(paymentID: payment.id, actor: actor, jobs: note + receipt)
        try followUp.noteReady(settled, in: ledger, actor: actor)
        return settled
    }
}

import Ledger
import PosPlusCore

/// What the payment path does with a receipt when money moves, by `receipts.mode`.
struct ReceiptFollowUp: Sendable {
    var mode: AutomationMode

    /// The outbox job to queue with the answer (auto mode only).
    func jobs(for payment: PaymentRecord, movedMoney: Bool) -> [NewOutboxJob] {
        guard mode == .auto, movedMoney, payment.operation != .tokenize else { return [] }
        return [ReceiptDelivery.automaticJob(paymentID: payment.id)]
    }

    /// In suggest mode, notes in the audit log that a receipt is ready for a person to send.
    /// Written just after the answer's own transaction: a crash between the two loses only the
    /// note, never the payment, and `receipt send` works with or without it. A pending bank
    /// debit is not ready: its money is not in until it settles (as auto mode waits too).
    func noteReady(_ payment: PaymentRecord, in ledger: Ledger, actor: String) throws {
        guard mode == .suggest, payment.capturedMinor > 0, payment.state != .pending, payment.operation != .tokenize else { return }
        let noted = try ledger.auditEvents(paymentID: payment.id).contains { $0.kind == "receipt.ready" }
        guard !noted else { return }
        try ledger.recordAuditEvent(
            kind: "receipt.ready", paymentID: payment.id, actor: actor, detail: ["kind": .text(payment.operation.rawValue)])
    }
}

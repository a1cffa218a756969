import Foundation
import Ledger
import PosPlusCore
import Receivables

extension PosPlusApp {
    /// What `posplus declines plan` shows for declined `payment` (its decline read from
    /// `evidence`), below the payment's own line. Read-only.
    ///
    /// - A decline whose recovery has ended (paid, stopped by a person, written off) says so
    ///   and why, and proposes nothing: the plan is over, not ahead.
    /// - A decline that joined a recovery already running on the invoice, or a recovery's own
    ///   retry, proposes nothing of its own and names the recovery.
    /// - Otherwise the sequence if nothing changes, each link said the way it would go to the
    ///   client as Jobber knows them (emailed to a client with no phone that takes texts); with
    ///   Jobber unreachable, as the sequence asks for them.
    public func declinePlanLines(for payment: PaymentRecord, evidence: DeclineEvidence) async throws -> [String] {
        let ledger = try ledger()
        let explanation = DeclineClassifier.classify(evidence).explanation
        if let recovery = try ledger.declineRecovery(paymentID: payment.id) {
            switch recovery.state {
            case .finished:
                return [
                    explanation,
                    "Its recovery (\(recovery.id)) has ended: \(recovery.finishReason ?? "no reason was recorded").",
                    "Nothing more is proposed. `posplus declines show \(recovery.id)` shows what was done.",
                ]
            case .active:
                break
            }
        } else if payment.idempotencyKey.hasPrefix("declines-") {
            return [explanation, "This was a retry by a decline's recovery, which decides what follows (`posplus declines list --all`)."]
        } else if let invoiceID = payment.invoiceID, let running = try ledger.activeDeclineRecovery(invoiceID: invoiceID) {
            return [
                explanation,
                "Recovery \(running.id) (for payment \(running.paymentID)) is already running on this invoice; this decline proposes "
                    + "nothing of its own. `posplus declines show \(running.id)` shows it.",
            ]
        }
        var contacts: CustomerContacts?
        if let invoiceID = payment.invoiceID, isJobberConfigured {
            contacts = try? await jobber().invoices.itemization(invoiceID: invoiceID).client
        }
        let text = DeclineRecoveries<ContinuousClock>.linkStep(.sms, reason: "", contacts: contacts).action
        let email = DeclineRecoveries<ContinuousClock>.linkStep(.email, reason: "", contacts: contacts).action
        let rules = config.declineRules
        var lines = DeclinePlan.propose(
            for: evidence, declinedAt: payment.updatedAt, rules: rules, onPaymentPage: LinkDeclineKey.linkID(of: payment) != nil
        )
        .lines(rules: rules, canText: text == .textLink, canEmail: email == .emailLink)
        if let running = try ledger.declineRecovery(paymentID: payment.id) {
            lines.append("Recovery \(running.id) is running: `posplus declines show \(running.id)` shows what it has done so far.")
        }
        return lines
    }
}

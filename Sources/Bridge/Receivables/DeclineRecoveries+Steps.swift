import Foundation
import Jobber
import Ledger
import Messaging
import PosPlusCore
import Receivables

/// Carrying out one step: a link texted or emailed through the link service, a retry through
/// the one payment path, each under the step's own idempotency key.
extension DeclineRecoveries {
    /// A person approved proposed step of approval `approvalID`: it is due now, and carried out
    /// with the rest of its recovery. Returns the step as it ended.
    public func runApproved(approvalID: Int64, by manager: String) async throws -> DeclineStepRecord {
        guard let step = try ledger.declineStep(approvalID: approvalID) else {
            throw LedgerError.invalidRequest("Approval \(approvalID) proposes no step of a decline's recovery.")
        }
        if step.state == .proposed {
            let now = ledger.now()
            let when =
                rules.isDaytime(now)
                ? "" : " It goes out when \(rules.window) opens again: \(rules.localText(rules.nextDaytime(atOrAfter: now)))."
            try ledger.updateDeclineStep(id: step.id, state: .due, outcome: "Approved by \(manager).\(when)", by: manager)
        }
        _ = try await carryOn(step.recoveryID)
        return try ledger.declineStep(id: step.id) ?? step
    }

    /// Carries out due `step`; returns what its recovery must hear (a retry's answer), if anything.
    func carryOut(_ step: DeclineStepRecord) async throws -> RecoverySequence.Event? {
        guard let recovery = try ledger.declineRecovery(id: step.recoveryID), recovery.state == .active else {
            try ledger.updateDeclineStep(id: step.id, state: .skipped, outcome: "The recovery had ended.", by: Ledger.declinesActor)
            return nil
        }
        switch step.action {
        case .textLink, .emailLink:
            try await sendLink(step, of: recovery)
            return nil
        case .retryCard:
            return try await retry(step, of: recovery)
        case .officeTask:
            return nil
        }
    }

    private func sendLink(_ step: DeclineStepRecord, of recovery: DeclineRecoveryRecord) async throws {
        let jobber = try invoices()
        let invoice = try await jobber.invoice(id: recovery.invoiceID)
        let contacts = try await jobber.itemization(invoiceID: recovery.invoiceID).client
        guard let recipient = PaymentLinkService<C>.Recipient.preferred(in: contacts, emailFirst: step.action == .emailLink) else {
            try finish(step, .failed, "\(contacts.name) has no phone that takes texts and no email in Jobber: nothing was sent.")
            return
        }
        // What is owed now (a payment posplus took that Jobber does not count yet is not asked
        // again), and of it what was declined.
        guard let declined = try ledger.payment(id: recovery.paymentID) else { throw LedgerError.paymentNotFound("\(recovery.paymentID)") }
        let asked = askAmount(of: declined, owed: try ledger.standing(invoiceID: invoice.id).room(in: invoice.balance))
        guard try approvedAmountHolds(step, now: asked) else { return }
        do {
            let link = try await links().send(
                invoiceNumber: invoice.number, amount: asked == invoice.balance ? nil : asked, to: recipient,
                operator: Ledger.declinesActor,
                idempotencyKey: try IdempotencyKey(step.idempotencyKey))
            // One live link per recovery: the customer pays the newest, never two.
            try await cancelOpenLinks(of: recovery.id, keeping: link.id)
            let how: String
            if case .sms = recipient { how = "texted" } else { how = "emailed" }
            try finish(step, .done, "Link \(link.id) for \(link.amount.formatted) \(how) to \(recipient.address).", linkID: link.id)
        } catch let hold as ApprovalHold {
            try waitOrSkip(step, hold)
        } catch let refusal as ChargeRefusal {
            try finish(step, .failed, "Not sent: \(refusal)")
        } catch let refusal as LedgerError {
            try finish(step, .failed, "Not sent: \(refusal)")
        }
    }

    private func retry(_ step: DeclineStepRecord, of recovery: DeclineRecoveryRecord) async throws -> RecoverySequence.Event? {
        let now = ledger.now()
        guard let cardID = recovery.savedCardID, let declined = try ledger.payment(id: recovery.paymentID) else {
            try finish(step, .skipped, "No saved card to charge.")
            return .retryWithdrawn(reason: "There is no saved card to charge again.", at: now)
        }
        let invoice = try await invoices().invoice(id: recovery.invoiceID)
        let owed = try ledger.standing(invoiceID: invoice.id).room(in: invoice.balance)
        guard try approvedAmountHolds(step, now: askAmount(of: declined, owed: owed)) else {
            return .retryWithdrawn(reason: "The balance changed after the retry was approved.", at: now)
        }
        // A full-balance charge asks for what is owed when it is checked, so the same key run
        // again matches whatever the balance is then; any other asks for the same amount again.
        let fullBalance = declined.intent == .fullBalance
        let order = PaymentService<C>.ChargeOrder(
            target: .invoiceID(recovery.invoiceID), amount: fullBalance ? nil : declined.requested, intent: declined.intent,
            operation: .tokenSale, savedCardID: cardID, splitTender: true)
        let payment: PaymentRecord
        do {
            payment = try await payments.perform(
                .charge(order), on: try channelForCard(cardID), by: Ledger.declinesActor,
                idempotencyKey: try IdempotencyKey(step.idempotencyKey))
        } catch let hold as ApprovalHold {
            try waitOrSkip(step, hold)
            return .retryWithdrawn(reason: "A manager denied the retry.", at: now)
        } catch let refusal as ChargeCheckError {
            try finish(step, .failed, "Not charged: \(refusal)")
            return .retryWithdrawn(reason: "The retry was refused before anything was sent (\(refusal)).", at: now)
        } catch let refusal as LedgerError {
            try finish(step, .failed, "Not charged: \(refusal)")
            return .retryWithdrawn(reason: "The retry was refused before anything was sent (\(refusal)).", at: now)
        } catch let unreachable as PaymentChannelError {
            try finish(step, .failed, "Not charged: \(unreachable)")
            return .retryWithdrawn(reason: "The retry could not reach the processor (\(unreachable)).", at: now)
        }
        switch payment.state {
        case .approved, .partiallyApproved, .settled:
            try finish(
                step, .done, "Charged \(payment.captured.formatted) to the saved card (payment \(payment.id)).", paymentID: payment.id)
            return .retryApproved(at: now)
        case .declined:
            let evidence = DeclineEvidence(payment: payment, attempts: try ledger.attempts(paymentID: payment.id))
            let decline =
                evidence.map(DeclineClassifier.classify) ?? DeclineClassification(reason: .unknown, evidence: "", source: "the retry")
            try finish(step, .failed, "Declined again (payment \(payment.id)): \(decline.explanation)", paymentID: payment.id)
            return .retryDeclined(decline, at: now)
        case .abandoned:
            try finish(step, .failed, "Not charged: \(payment.message ?? "it was never sent").", paymentID: payment.id)
            return .retryWithdrawn(reason: "The retry was never sent (\(payment.message ?? "no reason recorded")).", at: now)
        default:
            // Sent and not answered yet, or in doubt: the same key later finds how it ended.
            throw OutboxJobWaiting(
                reason: "Retry payment \(payment.id) is \(payment.state.rawValue); its answer is looked up.", recheckAfter: 60)
        }
    }

    /// A step a person approved runs only for the amount they saw; a changed balance ends it
    /// (skipped, with the two amounts) instead of charging or asking for something else.
    private func approvedAmountHolds(_ step: DeclineStepRecord, now amount: Money) throws -> Bool {
        guard let approvalID = step.approvalID, let approval = try ledger.approval(id: approvalID), approval.amount != amount else {
            return true
        }
        try finish(
            step, .skipped,
            "Approved for \(approval.amount.formatted), but the amount is \(amount.formatted) now: nothing was sent; the sequence goes on.")
        return false
    }

    private func waitOrSkip(_ step: DeclineStepRecord, _ hold: ApprovalHold) throws {
        switch hold {
        case .waiting(let record):
            throw OutboxJobWaiting(reason: "Waiting for a manager: approval \(record.id) (\(record.reason)).", recheckAfter: 300)
        case .denied:
            try finish(step, .skipped, hold.description)
        }
    }

    private func finish(
        _ step: DeclineStepRecord, _ state: DeclineStepRecord.State, _ outcome: String, linkID: Int64? = nil, paymentID: Int64? = nil
    ) throws {
        try ledger.updateDeclineStep(
            id: step.id, state: state, outcome: outcome, linkID: linkID, paymentID: paymentID, by: Ledger.declinesActor)
    }

}

import Foundation
import Jobber
import Ledger
import PosPlusCore

extension PlanService {
    /// Who the ledger names for what a plan's jobs do when no person is at hand: the person who
    /// accepted the plan is named on the payment itself.
    static var planActor: String { "posplus (plan)" }

    /// Takes instalment `number` of plan `planID`, due now: checks Jobber's balance first (a paid
    /// invoice ends the plan and nothing is taken), then charges the saved card off-session
    /// through the one payment path, or sends the link, under the instalment's own key.
    ///
    /// Safe to run again: an instalment already recorded is left alone, and a run cut short
    /// after the charge finds the payment under the same key (``PaymentService`` returns it and
    /// charges nothing). Throws — so the outbox retries — when the answer is not known yet.
    public func runInstalment(planID: Int64, number: Int) async throws {
        guard let plan = try ledger.plan(id: planID),
            let instalment = try ledger.instalments(planID: planID).first(where: { $0.number == number })
        else { throw LedgerError.invalidRequest("Plan \(planID) has no instalment \(number).") }
        guard instalment.state == .scheduled else { return }
        guard plan.state == .accepted else {
            try ledger.recordInstalment(
                planID: planID, number: number, state: .cancelled, note: "Not taken: the plan is \(plan.state.rawValue).",
                actor: Self.planActor)
            return
        }
        let key = try instalment.idempotencyKey
        // posplus runs each instalment on its date, not the manager who approved the plan: a held
        // instalment (risk, thresholds) must be decidable by that manager too.
        let actor = Self.planActor
        let amount: Money
        if let earlier = try ledger.payment(idempotencyKey: key) {
            amount = earlier.requested  // carried on exactly as first asked
        } else {
            if let dispute = try ledger.standing(invoiceID: plan.invoiceID).disputeReason {
                // The client's bank is taking money back: charging the rest now is for a person.
                try ledger.endPlan(
                    id: planID, as: .cancelled,
                    reason: "Stopped: \(dispute). Instalment \(number) and the rest are not taken; a person decides with the client.",
                    actor: Self.planActor)
                return
            }
            let invoice = try await payments.check.invoices.invoice(id: plan.invoiceID)
            guard invoice.status.isPayable || invoice.status == .paid else {
                // Written off, back to draft, or a status posplus does not know: not paid, so not
                // "completed"; a person decides what happens to the client's agreement now.
                try ledger.endPlan(
                    id: planID, as: .cancelled,
                    reason: "Invoice #\(plan.invoiceNumber) is \(invoice.status.jobberValue.replacingOccurrences(of: "_", with: " ")) "
                        + "in Jobber; instalment \(number) and the rest are not taken.",
                    actor: Self.planActor)
                return
            }
            let owed = try stillOwed(on: invoice)
            guard invoice.status != .paid, owed.isPositive else {
                try ledger.endPlan(
                    id: planID, as: .completed,
                    reason: "Invoice #\(plan.invoiceNumber) was paid in full before instalment \(number); nothing more is taken.",
                    actor: Self.planActor)
                return
            }
            // The last instalment never asks for more than is left (a part paid another way).
            amount = try Money.min(instalment.amount, owed)
        }
        if let card = instalment.savedCardID {
            try await charge(card: card, amount: amount, plan: plan, instalment: instalment, key: key, actor: actor)
        } else if let recipient = instalment.linkRecipient {
            guard let links else {
                throw LedgerError.invalidRequest("Instalment \(number) of plan \(planID) goes by link, and links are not set up here.")
            }
            let link = try await links().send(
                invoiceNumber: plan.invoiceNumber, amount: amount,
                to: try PlanLinkRecipient.parse(recipient, for: PaymentLinkService<C>.self), operator: actor, idempotencyKey: key)
            try ledger.recordInstalment(planID: planID, number: number, state: .linkSent, linkID: link.id, actor: Self.planActor)
        }
    }

    /// What the client still owes: Jobber's balance less what posplus took that Jobber does
    /// not show yet (Jobber learns of a posplus payment only from its note).
    private func stillOwed(on invoice: InvoiceSnapshot) throws -> Money {
        let collected = try ledger.standing(invoiceID: invoice.id).collected
        return try invoice.balance - (collected ?? .zero(invoice.balance.currency))
    }

    private func charge(
        card: Int64, amount: Money, plan: PaymentPlanRecord, instalment: PlanInstalmentRecord, key: IdempotencyKey, actor: String
    ) async throws {
        let order = PaymentService<C>.ChargeOrder(
            target: .invoiceID(plan.invoiceID), amount: amount, intent: .partial, operation: .tokenSale, savedCardID: card,
            splitTender: true)
        let cardChannel: any PaymentChannel
        do { cardChannel = try channel(card) } catch LedgerError.cardNotFound {
            // Taken off file since the plan was agreed: retrying cannot help; a person must ask.
            try ledger.recordInstalment(
                planID: plan.id, number: instalment.number, state: .failed,
                note: "Card \(card) is no longer on file; ask the client for another way to pay.", actor: Self.planActor)
            return
        }
        let payment = try await payments.perform(.charge(order), on: cardChannel, by: actor, idempotencyKey: key)
        switch payment.state {
        case .approved, .partiallyApproved, .settled, .pending, .partiallyRefunded, .refunded, .voided:
            try ledger.recordInstalment(
                planID: plan.id, number: instalment.number, state: .charged, paymentID: payment.id, actor: Self.planActor)
        case .declined, .abandoned, .returned:
            // Decline recovery (issue 13, part 2) takes a failed instalment from here: the
            // payment names the decline's codes, and the lead wires the retry/link sequence to
            // `plan.instalment` events whose state is `failed`. Nothing is retried by this job.
            try ledger.recordInstalment(
                planID: plan.id, number: instalment.number, state: .failed, paymentID: payment.id,
                note: payment.message ?? "Declined.", actor: Self.planActor)
        case .intended, .sent, .unknown:
            throw LedgerError.invalidRequest(
                "Instalment \(instalment.number) of plan \(plan.id): payment \(payment.id) is \(payment.state.rawValue); "
                    + "it is looked up again on the next run.")
        }
    }
}

import Foundation
import Jobber
import Ledger
import Logging
import PosPlusCore
import Receivables

/// Where a client's standing for a plan comes from: one seam, so the history behind it (Jobber's
/// invoices today; the forecast's client payment history later) can be swapped in one place.
public typealias PlanStandingSource = @Sendable (_ clientID: String) async throws -> PlanEligibility.Standing

/// Payment plans from proposal to the last instalment: proposes options for an invoice with
/// their reason (``Receivables/PlanProposer``), records the one staff accept with the client,
/// holds it for a manager where the settings say so (``ApprovalGate``, kind `plan`), and
/// schedules each instalment as an outbox job (``PlanInstalmentJob``) that charges the saved
/// card through the one payment path, or sends a link, when it falls due.
public struct PlanService<C: Clock<Duration>>: Sendable {
    public let payments: PaymentService<C>
    public let settings: PlanSettings
    /// The business's days (`reconcile.time_zone`): when instalments fall due.
    public let timeZone: TimeZone
    public let standing: PlanStandingSource
    /// The channel a saved card is charged on (its processor), by the card's ledger id.
    public let channel: @Sendable (Int64) throws -> any PaymentChannel
    /// Sends an instalment's link; built only when one is due.
    public var links: (@Sendable () throws -> PaymentLinkService<C>)?

    public var ledger: Ledger { payments.ledger }

    public init(
        payments: PaymentService<C>, settings: PlanSettings, timeZone: TimeZone, standing: @escaping PlanStandingSource,
        links: (@Sendable () throws -> PaymentLinkService<C>)? = nil, channel: @escaping @Sendable (Int64) throws -> any PaymentChannel
    ) {
        self.payments = payments
        self.settings = settings
        self.timeZone = timeZone
        self.standing = standing
        self.links = links
        self.channel = channel
    }

    /// What is proposed for an invoice, with the invoice as Jobber has it now.
    public struct Proposal: Sendable {
        public var invoice: InvoiceSnapshot
        public var proposal: PlanProposer.Proposal
        /// Whether an accepted plan of this balance waits for a manager.
        public var needsManager: Bool
    }

    /// The options for invoice `number` dated from now, or none and why (plans are off, or the
    /// client or balance does not qualify). Nothing is recorded or sent.
    public func propose(invoiceNumber number: String) async throws -> Proposal {
        let invoice = try await payments.check.invoices.invoice(number: number)
        let needsManager = settings.needsManager(invoice.balance)
        guard settings.mode != .off else {
            let off = PlanProposer.Proposal(
                invoiceNumber: invoice.number, balance: invoice.balance, options: [],
                reason: "Payment plans are off (`plans.mode = off`); nothing is proposed.")
            return Proposal(invoice: invoice, proposal: off, needsManager: needsManager)
        }
        guard invoice.status.isPayable else {
            let closed = PlanProposer.Proposal(
                invoiceNumber: invoice.number, balance: invoice.balance, options: [],
                reason: "Invoice #\(invoice.number) is \(invoice.status.jobberValue.replacingOccurrences(of: "_", with: " ")); "
                    + "a plan is only for an invoice the client still owes.")
            return Proposal(invoice: invoice, proposal: closed, needsManager: needsManager)
        }
        let proposer = try settings.proposer(currency: invoice.balance.currency, timeZone: timeZone)
        let history = try await standing(invoice.clientID)
        let proposal = proposer.propose(
            balance: invoice.balance, invoiceNumber: invoice.number, standing: history, acceptedAt: ledger.now()
        ).keeping(within: try payments.check.rules.limits)
        return Proposal(invoice: invoice, proposal: proposal, needsManager: needsManager)
    }

    /// What accepting did: the plan is scheduled, or it waits for a manager (nothing scheduled).
    public enum Acceptance: Sendable {
        case accepted(PaymentPlanRecord)
        case waitingForManager(PaymentPlanRecord, ApprovalRecord)

        public var plan: PaymentPlanRecord {
            switch self {
            case .accepted(let plan), .waitingForManager(let plan, _): plan
            }
        }
    }

    /// Accepts option `option` of what is proposed now for invoice `number`, as agreed with the
    /// client by `actor`, paid by `method` (nil: the client's most recently saved card). Refused
    /// with the reason when plans are off, the client does not qualify, or the option is not
    /// offered. Over the manager threshold (always, in `suggest`) the plan waits in the
    /// approvals queue and nothing is scheduled until a manager approves it.
    public func accept(invoiceNumber number: String, option: Int, method: NewPaymentPlan.Method?, by actor: String) async throws
        -> Acceptance
    {
        guard settings.mode != .off else {
            throw LedgerError.invalidRequest("Payment plans are off (`plans.mode = off`); set it to suggest or auto to accept one.")
        }
        let offered = try await propose(invoiceNumber: number)
        guard offered.proposal.qualifies else {
            throw LedgerError.invalidRequest("No plan can be accepted for invoice #\(offered.invoice.number): \(offered.proposal.reason)")
        }
        guard let chosen = offered.proposal.option(option) else {
            throw LedgerError.invalidRequest(
                "Invoice #\(offered.invoice.number) has options 1 to \(offered.proposal.options.count), not \(option).")
        }
        let invoice = offered.invoice
        let paidBy = try checkedMethod(method, clientID: invoice.clientID)
        let new = NewPaymentPlan(
            invoiceID: invoice.id, invoiceNumber: invoice.number, clientID: invoice.clientID, clientName: invoice.clientName,
            optionNumber: chosen.number, optionSummary: chosen.summary, reason: offered.proposal.reason, method: paidBy,
            instalments: chosen.instalments.map { NewPaymentPlan.Instalment(amount: $0.amount, dueAt: $0.dueAt) })
        guard offered.needsManager else {
            return .accepted(try ledger.recordPlan(new, state: .accepted, actor: actor, jobs: jobs))
        }
        let plan = try ledger.recordPlan(new, state: .waitingApproval, actor: actor, jobs: jobs)
        let request = NewApproval(
            idempotencyKey: try IdempotencyKey("plan-\(plan.id)"), kind: .plan,
            summary: "payment plan \(plan.id) for invoice #\(plan.invoiceNumber) (\(plan.clientName)): \(plan.optionSummary)",
            reason: managerReason(plan.total), amount: plan.total, channel: "plan", orderJSON: "{\"plan\":\(plan.id)}",
            invoiceNumber: plan.invoiceNumber)
        do {
            try ApprovalGate(ledger: ledger, logger: payments.logger).require(request, by: actor)
        } catch let hold as ApprovalHold {
            return .waitingForManager(try ledger.holdPlan(id: plan.id, approvalID: hold.approval.id, actor: actor), hold.approval)
        }
        // Approved already under its key (asked again after a crash): carry it out now.
        return .accepted(try activate(planID: plan.id, by: actor))
    }

    /// Schedules a plan a manager approved (``ApprovalDesk`` calls this); doing it again
    /// changes nothing.
    public func activate(planID: Int64, by manager: String) throws -> PaymentPlanRecord {
        try ledger.acceptPlan(id: planID, by: manager, jobs: jobs)
    }

    /// Stops a plan: nothing more is charged or sent, and an instalment's link still open is
    /// cancelled first (at the processor, then in the ledger), so it cannot take money for a plan
    /// that no longer exists; instalments already paid stand.
    @discardableResult
    public func cancel(planID: Int64, reason: String?, by actor: String) async throws -> PaymentPlanRecord {
        guard let plan = try ledger.plan(id: planID) else { throw LedgerError.invalidRequest("There is no payment plan \(planID).") }
        guard plan.state.isLive else {
            throw LedgerError.invalidRequest("Plan \(planID) is already \(plan.state.rawValue); there is nothing to cancel.")
        }
        return try await end(
            planID: planID, as: .cancelled, reason: "Cancelled by \(actor)" + (reason.map { ": \($0)" } ?? "."), by: actor)
    }

    /// Ends plan `planID` with `reason`, its words in full. Its instalment links still open are
    /// cancelled first: a plan that has ended must not take money through a link it sent.
    @discardableResult
    func end(planID: Int64, as state: PaymentPlanRecord.State, reason: String, by actor: String) async throws -> PaymentPlanRecord {
        for instalment in try ledger.instalments(planID: planID) where instalment.state == .linkSent {
            guard let linkID = instalment.linkID, try ledger.link(id: linkID)?.state == .open else { continue }
            guard let links else {
                throw LedgerError.invalidRequest(
                    "Instalment \(instalment.number)'s link \(linkID) is open, and links are not set up here to cancel it.")
            }
            _ = try await links().cancel(linkID: linkID, operator: actor)
        }
        return try ledger.endPlan(id: planID, as: state, reason: reason, actor: actor)
    }

    /// The outbox jobs of an accepted plan: one per instalment at its due time, and the note
    /// on the Jobber invoice listing them.
    func jobs(_ plan: PaymentPlanRecord, _ instalments: [PlanInstalmentRecord]) -> [NewOutboxJob] {
        instalments.map { PlanInstalmentJob.job(planID: plan.id, number: $0.number, dueAt: $0.dueAt) }
            + [JobberWriteBackJob.job(for: PlanNote.note(plan, instalments, timeZone: timeZone, at: ledger.now()))]
    }

    private func managerReason(_ total: Money) -> String {
        switch settings.mode {
        case .auto:
            "The plan's total \(total.formatted) is over plans.approve_over \(settings.approveOver?.formatted ?? "")."
        case .suggest, .off:
            "Plans are in suggest mode (`plans.mode`): a manager approves every plan before anything is scheduled."
        }
    }

    /// The way the client pays, checked: a saved card of theirs still on file, or a link to a
    /// phone or address that can be reached.
    private func checkedMethod(_ method: NewPaymentPlan.Method?, clientID: String) throws -> NewPaymentPlan.Method {
        switch method {
        case nil:
            let now = ledger.now()
            guard let card = try ledger.cards(clientID: clientID).first(where: { $0.kind == .card && !$0.isExpired(at: now) }) else {
                throw LedgerError.invalidRequest(
                    "The client has no card on file that has not expired; name one, or send each instalment as a link to a phone or "
                        + "email address.")
            }
            return .savedCard(card.id)
        case .savedCard(let id)?:
            guard let card = try ledger.card(id: id), card.removedAt == nil, card.clientID == clientID else {
                throw LedgerError.invalidRequest("Card \(id) is not a card this client has on file.")
            }
            guard !card.isExpired(at: ledger.now()) else {
                throw LedgerError.invalidRequest("Card \(id) has expired; ask the client for another card, or send links.")
            }
            return .savedCard(id)
        case .link(let text)?:
            // Kept as checked ("sms:+15555550101"), the way every instalment's link is sent.
            switch try PlanLinkRecipient.parse(text, for: PaymentLinkService<C>.self) {
            case .sms(let phone): return .link("sms:\(phone.e164)")
            case .email(let address): return .link("email:\(address.value)")
            }
        }
    }
}

import Foundation
import Ledger
import Logging
import PosPlusCore

/// What a card dispute (chargeback) stops: the client's bank is taking money back, so posplus
/// must not go on asking the client for money on that invoice by itself.
///
/// A dispute first recorded open queues `disputes.opened` with it (``DisputeJobs``); this job
/// ends the invoice's decline recovery, its reminders and its payment plan, each with the
/// dispute as the reason, and cancels every link they sent that is still payable. Each of the
/// three also reads the ledger's open disputes before it acts on its own, so a step due before
/// this job runs is not taken either. A person answers the dispute, and decides what follows.
public struct DisputeFollowUp<C: Clock<Duration>>: Sendable {
    public let ledger: Ledger
    let recoveries: @Sendable () throws -> DeclineRecoveries<C>
    let reminders: @Sendable () throws -> InvoiceReminders<C>
    let plans: @Sendable () throws -> PlanService<C>
    let logger: Logger

    public init(
        ledger: Ledger, recoveries: @escaping @Sendable () throws -> DeclineRecoveries<C>,
        reminders: @escaping @Sendable () throws -> InvoiceReminders<C>, plans: @escaping @Sendable () throws -> PlanService<C>,
        logger: Logger
    ) {
        self.ledger = ledger
        self.recoveries = recoveries
        self.reminders = reminders
        self.plans = plans
        self.logger = logger
    }

    public func handlers() -> [String: OutboxWorker.Handler] {
        [DisputeJobs.openedKind: { job in try await self.stopChasing(invoiceID: try ReminderJobs.text("invoice", in: job)) }]
    }

    /// Ends whatever chases invoice `invoiceID` while a dispute on it is open. Safe to run again:
    /// what has ended stays ended; nothing is done once the dispute has closed.
    public func stopChasing(invoiceID: String) async throws {
        guard let dispute = try ledger.standing(invoiceID: invoiceID).disputeReason else { return }
        if let recovery = try ledger.activeDeclineRecovery(invoiceID: invoiceID) {
            try await recoveries().tick(recoveryID: recovery.id)
        }
        try await reminders().stop(invoiceID: invoiceID, reason: "Stopped: \(dispute).")
        if let plan = try ledger.livePlan(invoiceID: invoiceID) {
            try await plans().end(
                planID: plan.id, as: .cancelled,
                reason: "Stopped: \(dispute). Nothing more is taken; a person decides with the client.", by: Self.actor)
        }
        logger.notice("a card dispute stopped the invoice's follow-ups", metadata: ["invoice": "\(invoiceID)"])
    }

    static var actor: String { "posplus (disputes)" }
}

/// The outbox job a new dispute queues with its record.
enum DisputeJobs {
    static let openedKind = "disputes.opened"

    /// For a dispute on `payment`: stop chasing its invoice (none for a payment on no invoice).
    static func opened(on payment: PaymentRecord, dispute: String) -> [NewOutboxJob] {
        guard let invoiceID = payment.invoiceID else { return [] }
        return [
            NewOutboxJob(
                kind: openedKind, dedupeKey: "\(openedKind).\(dispute)", payload: #"{"invoice":\#(JSONText.quote(invoiceID))}"#)
        ]
    }
}

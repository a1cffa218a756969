import Foundation
import Ledger

extension PosPlusApp {
    /// Payment plans: proposals, acceptance, and the instalments' jobs. Jobber is asked for only
    /// when a plan needs an invoice, and Stripe only when an instalment goes by link.
    public func planService() throws -> PlanService<ContinuousClock> {
        let now = clock
        return PlanService(
            payments: try paymentService(), settings: config.plans, timeZone: config.reconcile.timeZone,
            standing: JobberPlanStanding.source(
                { try self.jobber().invoices }, disputed: { try self.ledger().openDisputeInvoiceIDs() }, now: now,
                timeZone: config.reconcile.timeZone),
            links: { try self.paymentLinkService() }
        ) { card in try self.channel(forSavedCard: card) }
    }
}

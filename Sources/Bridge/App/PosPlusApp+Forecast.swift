import Foundation
import Jobber
import Ledger
import PosPlusCore
import Receivables

extension PosPlusApp {
    /// The cash-flow forecast over Jobber's invoices and the ledger's pending ACH debits, in
    /// the business's time zone (`reconcile.time_zone`).
    public func forecastService() throws -> ForecastService {
        guard isJobberConfigured else {
            throw ForecastError.unavailable("jobber.client_id and jobber.client_secret are not set")
        }
        let invoices = try jobber().invoices
        let ledger = try ledger()
        var service = ForecastService(
            receivables: { try await invoices.receivables(issuedAfter: $0) }, ledger: ledger, timeZone: config.reconcile.timeZone,
            currency: config.currency, now: clock)
        service.scheduledInflows = { _ in try Self.planInflows(in: ledger) }
        return service
    }

    /// Each scheduled instalment of an accepted plan, expected on its date in place of that part
    /// of its invoice's balance.
    static func planInflows(in ledger: Ledger) throws -> [ScheduledInflow] {
        try ledger.scheduledInstalments().map { plan, instalment in
            ScheduledInflow(
                date: instalment.dueAt, amount: instalment.amount, kind: .planInstalment,
                reference: "plan \(plan.id) instalment \(instalment.number), invoice #\(plan.invoiceNumber)", invoiceID: plan.invoiceID)
        }
    }
}

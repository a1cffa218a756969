import Foundation
import Jobber
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
        return ForecastService(
            receivables: { try await invoices.receivables(issuedAfter: $0) }, ledger: try ledger(), timeZone: config.reconcile.timeZone,
            currency: config.currency, now: clock)
    }
}

import Foundation
import Jobber
import PosPlusCore

extension PosPlusApp {
    /// Builds receipts from the ledger, the Jobber invoice (where Jobber is set up) and the
    /// business's details.
    public func receiptBuilder() throws -> ReceiptBuilder<ContinuousClock> {
        ReceiptBuilder(ledger: try ledger(), invoices: isJobberConfigured ? try jobber().invoices : nil, business: config.business)
    }

    /// Shows receipts and queues them to be sent; dates in the business's time zone.
    public func receiptService() throws -> ReceiptService<ContinuousClock> {
        ReceiptService(builder: try receiptBuilder(), timeZone: config.reconcile.timeZone)
    }
}

import Jobber
import PosPlusCore

/// The front desk's look-ups in Jobber: an invoice by the number on the customer's paper, a
/// customer's invoices by the name they give, a client's open invoices, a quote. Read fresh each
/// time (Jobber is the record of what is owed); the charge itself reads them again.
///
/// Throws ``Jobber/JobberError``: `.notFound` when Jobber has no such record, the others when it
/// could not be asked.
public struct InvoiceLookup: Sendable {
    let invoices: JobberInvoices<ContinuousClock>

    public init(invoices: JobberInvoices<ContinuousClock>) { self.invoices = invoices }

    public func invoice(number: String) async throws(JobberError) -> InvoiceSnapshot { try await invoices.invoice(number: number) }

    /// Invoices whose number, subject or client's name contains `text`, newest first.
    public func search(_ text: String) async throws(JobberError) -> [InvoiceSnapshot] { try await invoices.search(text) }

    /// The client's invoices that can still be paid, oldest due first.
    public func openInvoices(clientID: String) async throws(JobberError) -> [InvoiceSnapshot] {
        try await invoices.openInvoices(clientID: clientID)
    }

    public func quote(id: String) async throws(JobberError) -> QuoteSnapshot { try await invoices.quote(id: id) }
}

extension PosPlusApp {
    /// Look-ups in Jobber, or why they cannot be made here (a missing setting, named).
    public func invoiceLookup() throws(ChargeCheckError) -> InvoiceLookup { InvoiceLookup(invoices: try chargeCheck().invoices) }
}

import Foundation
import Jobber
import Ledger
import PosPlusCore

/// Which invoice staff mean: the number they see in Jobber and on the invoice ("1044"), which
/// every reminder command takes; a Jobber id (what webhooks and the ledger carry) is accepted
/// too, when it names one invoice and no invoice has it as its number.
extension InvoiceReminders {
    /// The reminders of the invoice named `text`, in the order they go. Refused, naming both,
    /// when it is one invoice's number and another's Jobber id.
    public static func reminders(ofInvoice text: String, in ledger: Ledger) throws -> [ReminderRecord] {
        let byNumber = try ledger.reminders(invoiceNumber: text)
        let byID = try ledger.reminders(invoiceID: text)
        if let numbered = byNumber.first, let identified = byID.first, numbered.invoiceID != identified.invoiceID {
            throw LedgerError.invalidRequest(
                "\"\(text)\" is the number of invoice #\(numbered.invoiceNumber) and the Jobber id of invoice "
                    + "#\(identified.invoiceNumber); name it by its number.")
        }
        return byNumber.isEmpty ? byID : byNumber
    }

    /// The invoice named `text` as Jobber has it now: by its number first, else by its Jobber id.
    public func invoice(named text: String) async throws -> InvoiceSnapshot {
        let jobber = try invoices()
        do {
            return try await jobber.invoice(number: text)
        } catch .notFound {
            do { return try await jobber.invoice(id: text) } catch {
                throw LedgerError.invalidRequest("Jobber has no invoice #\(text), and no invoice with that id.")
            }
        }
    }
}

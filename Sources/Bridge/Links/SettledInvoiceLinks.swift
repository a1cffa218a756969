import Foundation
import Gateway
import HTTPClient
import Jobber
import Ledger
import PosPlusCore

/// Once an invoice is paid — at the counter, through a saved card, or through another link —
/// its open payment links must stop taking money: a customer must not be able to pay twice
/// through an old link.
///
/// The job is queued with the answer that moved the money (only when the invoice has open
/// links), and decides when it runs, on fresh facts: Jobber's balance now less what posplus
/// collected on the invoice is the room left; every open link asking for more than that is
/// deactivated at the processor first, then closed in the ledger as cancelled. Both steps are
/// idempotent, so a retried job does no harm.
public enum SettledInvoiceLinks {
    public static let kind = "links.closeSettled"

    /// The job for `payment`'s invoice, if the invoice has open links.
    static func jobs(for payment: PaymentRecord, reference: String, in ledger: Ledger) throws -> [NewOutboxJob] {
        guard let invoiceID = payment.invoiceID, payment.operation.collectsMoney,
            try ledger.links(openOnly: true, limit: 1_000).contains(where: { $0.invoiceID == invoiceID })
        else { return [] }
        let payload = JSONValue.object(["invoice": .string(invoiceID)]).serialized
        return [NewOutboxJob(kind: kind, dedupeKey: "\(kind)-\(reference)", payload: payload)]
    }

    public static func handler<C: Clock<Duration>>(ledger: Ledger, invoices: JobberInvoices<C>, gateway: any PaymentGateway)
        -> OutboxWorker.Handler
    {
        { job in
            guard let invoiceID = try JSONValue.parse(Array(job.payload.utf8))["invoice"]?.string else {
                throw LedgerError.invalidRequest("outbox job \(job.id) names no invoice")
            }
            let open = try ledger.links(openOnly: true, limit: 1_000).filter { $0.invoiceID == invoiceID }
            guard !open.isEmpty else { return }
            let invoice = try await invoices.invoice(id: invoiceID)
            let collected = try ledger.standing(invoiceID: invoiceID).collected?.minorUnits ?? 0
            let room = invoice.balance.minorUnits - collected
            for link in open where link.amountMinor > room {
                try await gateway.deactivateLink(link.processorLinkID, idempotencyKey: "settled-\(link.reference)")
                _ = try ledger.closeLink(id: link.id, as: .cancelled, actor: "posplus: invoice #\(invoice.number) is paid")
            }
        }
    }
}

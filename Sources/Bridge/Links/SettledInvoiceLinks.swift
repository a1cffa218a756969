import Foundation
import Gateway
import HTTPClient
import Jobber
import Ledger
import PosPlusCore

/// Once an invoice is paid — at the counter, through a saved card, through another link, or in
/// Jobber — its open payment links must stop taking money: a customer must not be able to pay
/// twice through an old link. Whatever sent the link (staff, a decline's recovery, a reminder,
/// a payment plan's instalment), this is the one place that stops it for that reason.
///
/// The job is queued with the answer that moved the money, and by Jobber's `INVOICE_UPDATE`
/// webhook (a payment recorded in Jobber, an invoice written off), when the invoice has open
/// links or a live payment plan; it decides when it runs, on fresh facts: Jobber's balance now
/// less what posplus collected on the invoice is the room left (none for an invoice that is
/// paid or closed); every open link asking for more than that is deactivated at the processor
/// first, then closed in the ledger as cancelled. Both steps are idempotent, so a retried job
/// does no harm. Then the invoice's payment plan ends if it is no longer needed (``PlanEnding``).
public enum SettledInvoiceLinks {
    public static let kind = "links.closeSettled"

    /// The job for `payment`'s invoice, if the invoice has open links or a live plan.
    static func jobs(for payment: PaymentRecord, reference: String, in ledger: Ledger) throws -> [NewOutboxJob] {
        guard let invoiceID = payment.invoiceID, payment.operation.collectsMoney else { return [] }
        return try jobs(invoiceID: invoiceID, dedupeKey: "\(kind)-\(reference)", in: ledger)
    }

    /// The job for invoice `invoiceID` after Jobber's webhook event `event` said it changed.
    static func jobs(invoiceID: String, jobberEvent event: Int64, in ledger: Ledger) throws -> [NewOutboxJob] {
        try jobs(invoiceID: invoiceID, dedupeKey: "\(kind)-jobber-\(event)", in: ledger)
    }

    private static func jobs(invoiceID: String, dedupeKey: String, in ledger: Ledger) throws -> [NewOutboxJob] {
        guard try ledger.livePlan(invoiceID: invoiceID) != nil || !openLinks(invoiceID: invoiceID, in: ledger).isEmpty else { return [] }
        let payload = JSONValue.object(["invoice": .string(invoiceID)]).serialized
        return [NewOutboxJob(kind: kind, dedupeKey: dedupeKey, payload: payload)]
    }

    private static func openLinks(invoiceID: String, in ledger: Ledger) throws -> [PaymentLinkRecord] {
        try ledger.links(openOnly: true, limit: 1_000).filter { $0.invoiceID == invoiceID }
    }

    public static func handler<C: Clock<Duration>>(ledger: Ledger, invoices: JobberInvoices<C>, gateway: any PaymentGateway)
        -> OutboxWorker.Handler
    {
        { job in
            guard let invoiceID = try JSONValue.parse(Array(job.payload.utf8))["invoice"]?.string else {
                throw LedgerError.invalidRequest("outbox job \(job.id) names no invoice")
            }
            let open = try openLinks(invoiceID: invoiceID, in: ledger)
            guard try !open.isEmpty || ledger.livePlan(invoiceID: invoiceID) != nil else { return }
            let invoice = try await invoices.invoice(id: invoiceID)
            // Paid, written off or back to draft: no link on it may take money.
            let room =
                invoice.status.isPayable
                ? try ledger.standing(invoiceID: invoiceID).room(in: invoice.balance) : .zero(invoice.balance.currency)
            let why = invoice.status.isPayable ? "is paid" : "is \(invoice.status.jobberValue.replacingOccurrences(of: "_", with: " "))"
            for link in open where link.amountMinor > room.minorUnits {
                try await gateway.deactivateLink(link.processorLinkID, idempotencyKey: "settled-\(link.reference)")
                _ = try ledger.closeLink(id: link.id, as: .cancelled, actor: "posplus: invoice #\(invoice.number) \(why)")
            }
            try PlanEnding.invoiceChanged(invoice, room: room, in: ledger)
        }
    }
}

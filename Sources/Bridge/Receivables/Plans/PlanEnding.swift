import Foundation
import Ledger
import PosPlusCore

/// A plan whose invoice was paid or closed another way — at the counter, through another link,
/// in Jobber, or written off — ends at once, with the reason, instead of waiting for its next
/// instalment's date. Run by ``SettledInvoiceLinks`` (the one place that stops an invoice's
/// links once money came in), after it has cancelled the links that would now take too much,
/// so an instalment's link is cancelled by the same rule as any other link on the invoice.
enum PlanEnding {
    /// Who the ledger names for ending a plan this way.
    static let actor = "posplus (plan)"

    /// Ends the accepted plan on `invoice`, if its invoice no longer needs it:
    /// - nothing is owed (`room` is zero): completed, its instalments not taken cancelled;
    /// - the invoice is closed without being paid (bad debt, back to draft): cancelled;
    /// - part was paid another way and an instalment's link was cancelled for asking more than
    ///   is left: cancelled, for a person to agree the rest with the client.
    ///
    /// An instalment whose own charge is under way (its payment recorded under the instalment's
    /// key, the instalment not yet) is left to its job, which completes the plan itself.
    static func invoiceChanged(_ invoice: InvoiceSnapshot, room: Money, in ledger: Ledger) throws {
        guard let plan = try ledger.livePlan(invoiceID: invoice.id), plan.state == .accepted else { return }
        let instalments = try ledger.instalments(planID: plan.id)
        for instalment in instalments where instalment.state == .scheduled {
            if try ledger.payment(idempotencyKey: try instalment.idempotencyKey) != nil { return }
        }
        var cancelledLinks: [(number: Int, link: Int64)] = []
        for instalment in instalments where instalment.state == .linkSent {
            guard let linkID = instalment.linkID, let link = try ledger.link(id: linkID), link.state != .open else { continue }
            cancelledLinks.append((instalment.number, linkID))
        }
        let links = cancelledLinks.map { "instalment \($0.number)'s link \($0.link)" }
        let linkWords = links.isEmpty ? "" : " (\(links.joined(separator: ", ")) cancelled)"
        let invoiceName = "Invoice #\(plan.invoiceNumber)"
        if invoice.status == .paid || (invoice.status.isPayable && !room.isPositive) {
            try ledger.endPlan(
                id: plan.id, as: .completed,
                reason: "\(invoiceName) was paid another way: nothing more is owed, so no further instalment is taken\(linkWords).",
                actor: actor)
        } else if !invoice.status.isPayable {
            let status = invoice.status.jobberValue.replacingOccurrences(of: "_", with: " ")
            try ledger.endPlan(
                id: plan.id, as: .cancelled,
                reason: "\(invoiceName) is \(status) in Jobber: no further instalment is taken\(linkWords).", actor: actor)
        } else if !cancelledLinks.isEmpty {
            try ledger.endPlan(
                id: plan.id, as: .cancelled,
                reason: "Part of \(invoiceName) was paid another way: \(room.formatted) is left, less than the instalment asked"
                    + "\(linkWords); agree the rest with the client.",
                actor: actor)
        }
    }
}

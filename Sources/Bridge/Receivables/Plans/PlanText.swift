import Foundation
import Ledger
import PosPlusCore
import Receivables

/// Plans and proposals as the CLI prints them, with dates on the business's calendar.
public enum PlanText {
    /// The options proposed for an invoice, each with its instalments, and the reason.
    public static func lines<C>(_ offered: PlanService<C>.Proposal, timeZone: TimeZone) -> [String] {
        let invoice = offered.invoice
        var lines = ["Invoice #\(invoice.number) (\(invoice.clientName)): \(invoice.balance.formatted) owed."]
        lines.append("Why: \(offered.proposal.reason)")
        for option in offered.proposal.options {
            lines.append("Option \(option.number): \(option.summary)")
            for instalment in option.instalments {
                lines.append("  \(instalment.number). \(instalment.amount.formatted) on \(day(instalment.dueAt, timeZone))")
            }
        }
        if offered.proposal.qualifies {
            lines.append(
                offered.needsManager
                    ? "An accepted plan waits for a manager's approval before anything is scheduled."
                    : "An accepted plan is scheduled at once (`posplus plan accept \(invoice.number) --option N`).")
        }
        return lines
    }

    /// A recorded plan and each instalment's state.
    public static func lines(_ plan: PaymentPlanRecord, _ instalments: [PlanInstalmentRecord], timeZone: TimeZone) -> [String] {
        var lines = [
            "Plan \(plan.id) for invoice #\(plan.invoiceNumber) (\(plan.clientName)): \(plan.total.formatted), \(plan.state.rawValue).",
            "Option \(plan.optionNumber): \(plan.optionSummary)",
            "Why: \(plan.reason)",
            "Agreed by \(plan.createdBy)" + (plan.decidedBy.map { $0 == plan.createdBy ? "" : "; approved by \($0)" } ?? "")
                + (plan.approvalID.map { " (approval \($0))" } ?? ""),
        ]
        if let ended = plan.endedReason { lines.append("Ended: \(ended)") }
        for instalment in instalments {
            let how = instalment.savedCardID.map { "card \($0)" } ?? "link to \(instalment.linkRecipient ?? "?")"
            var line =
                "  \(instalment.number). \(instalment.amount.formatted) on \(day(instalment.dueAt, timeZone)) by \(how): "
                + instalment.state.rawValue
            if let payment = instalment.paymentID { line += " (payment \(payment))" }
            if let link = instalment.linkID { line += " (link \(link))" }
            if let note = instalment.note, instalment.state == .failed || instalment.state == .cancelled { line += " — \(note)" }
            lines.append(line)
        }
        return lines
    }

    /// "2026-12-02 10:00": a due time as the business reads it.
    public static func day(_ date: Date, _ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }
}

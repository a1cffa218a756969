import Foundation
import Jobber
import Ledger
import PosPlusCore

/// The note an accepted plan leaves on its Jobber invoice, so the office sees in Jobber what
/// was set up: each instalment's amount, its date (the business's calendar day), how it is
/// paid, and who approved it for the business ("approved by": the manager who approved it, or
/// the staff member who accepted it where no approval was needed — never a claim that the
/// client signed anything). Written by the Jobber write-back job, once (its marker is `plan-ID`).
enum PlanNote {
    static func note(_ plan: PaymentPlanRecord, _ instalments: [PlanInstalmentRecord], timeZone: TimeZone, at time: Date) -> WriteBackNote {
        WriteBackNote(
            on: .invoice(plan.invoiceID), reference: "plan-\(plan.id)", amount: plan.total, method: list(instalments, timeZone: timeZone),
            card: nil, authCode: nil, operatorName: plan.decidedBy ?? plan.createdBy, time: JobberWriteBackJob.noteTime(time), action: .plan
        )
    }

    /// "3 instalments: $333.33 on 2026-12-03, $333.33 on 2026-12-17, $333.34 on 2026-12-31, by saved card".
    static func list(_ instalments: [PlanInstalmentRecord], timeZone: TimeZone) -> String {
        let format = Date.ISO8601FormatStyle(dateSeparator: .dash, timeZone: timeZone).year().month().day()
        let parts = instalments.map { "\($0.amount.formatted) on \($0.dueAt.formatted(format))" }
        let how = instalments.first?.savedCardID != nil ? "by saved card" : "by payment link"
        return "\(instalments.count) instalments: " + parts.joined(separator: ", ") + ", " + how
    }
}

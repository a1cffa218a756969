import Foundation
import Ledger

/// Decline recoveries and their steps as the CLI prints them, one line each, with every time
/// on the business's clock (`reconcile.time_zone`) and the zone named: staff read "10:00
/// America/Chicago", not a UTC time they must convert.
public enum DeclineText {
    public static func summary(_ recovery: DeclineRecoveryRecord, timeZone: TimeZone) -> String {
        let invoice = recovery.invoiceNumber.map { "invoice #\($0)" } ?? "invoice \(recovery.invoiceID)"
        let state: String
        switch recovery.state {
        case .active:
            state =
                recovery.nextWakeAt.map { "running; next step \(LocalTimeText.text($0, in: timeZone))" } ?? "running; waiting for a person"
        case .finished: state = "finished"
        }
        return "Recovery \(recovery.id): \(invoice), declined payment \(recovery.paymentID), \(state)."
    }

    public static func step(_ step: DeclineStepRecord, timeZone: TimeZone) -> String {
        let what = step.action.words + (step.tryNumber.map { " (try \($0))" } ?? "")
        let approval = step.approvalID.map { " [approval \($0)]" } ?? ""
        return "\(step.number). \(LocalTimeText.text(step.createdAt, in: timeZone)) \(what): \(step.state.rawValue)\(approval). "
            + (step.outcome ?? step.reason)
    }
}

/// Reminders as the CLI prints them, their send time on the business's clock, zone named.
public enum ReminderText {
    public static func line(_ reminder: ReminderRecord, timeZone: TimeZone) -> String {
        let approval = reminder.approvalID.map { " [approval \($0)]" } ?? ""
        return "Reminder \(reminder.id): invoice #\(reminder.invoiceNumber), \(LocalTimeText.text(reminder.sendAt, in: timeZone)), "
            + "\(reminder.state.rawValue)\(approval)" + (reminder.outcome.map { ". \($0)" } ?? ".")
    }
}

/// "2026-12-01 09:00 America/Chicago": a moment as the business reads it, with the zone named
/// so nobody takes it for UTC (or for their own zone).
public enum LocalTimeText {
    public static func text(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
            + " " + timeZone.identifier
    }
}

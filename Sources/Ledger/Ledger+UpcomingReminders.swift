import Foundation
import GRDB

extension Ledger {
    /// Reminders still to go (planned, or waiting for a person), soonest first: what the
    /// console's follow-ups page shows. Filtered in SQL, so a long history of sent and skipped
    /// reminders cannot push the coming ones past the limit.
    public func upcomingReminders(limit: Int = 200) throws -> [ReminderRecord] {
        try read { db in
            try ReminderRecord.filter(["scheduled", "proposed"].contains(Column("state")))
                .order(Column("sendAt"), Column("id")).limit(limit).fetchAll(db)
        }
    }
}

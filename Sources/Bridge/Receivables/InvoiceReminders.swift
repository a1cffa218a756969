import Foundation
import Jobber
import Ledger
import Logging
import Messaging
import PosPlusCore
import Receivables

/// Reminders of unpaid invoices (issue 13, part 6), started by Jobber's `INVOICE_CREATE` and
/// `INVOICE_UPDATE` webhooks and sent by the outbox.
///
/// - The webhook queues `reminders.plan` for the invoice. Planning reads the invoice in Jobber
///   (webhooks carry ids only): one that is paid, not yet sent, or over `reminders.under` gets
///   none, and what was planned for it is skipped with the reason; otherwise a reminder on each
///   of `reminders.days` around its due date, at the opening of `reminders.send_window`.
/// - Each reminder is its own `reminders.send` job. It reads the invoice again first, so a
///   paid invoice is never reminded; one due in quiet hours (the process was down) waits for
///   the morning.
/// - `reminders.mode`: `off` plans nothing; `suggest` holds each reminder as an approval with
///   its reason; `auto` sends a payment link to the client's preferred contact (email, else a
///   phone that takes texts) under the reminder's own key, so a job run twice sends one.
public struct InvoiceReminders<C: Clock<Duration>>: Sendable {
    public static var planKind: String { "reminders.plan" }

    public let ledger: Ledger
    public var mode: AutomationMode
    public var rules: ReminderRules
    let links: @Sendable () throws -> PaymentLinkService<C>
    let invoices: @Sendable () throws -> JobberInvoices<C>
    let logger: Logger

    public init(
        ledger: Ledger, mode: AutomationMode, rules: ReminderRules, links: @escaping @Sendable () throws -> PaymentLinkService<C>,
        invoices: @escaping @Sendable () throws -> JobberInvoices<C>, logger: Logger
    ) {
        self.ledger = ledger
        self.mode = mode
        self.rules = rules
        self.links = links
        self.invoices = invoices
        self.logger = logger
    }

    public func handlers() -> [String: OutboxWorker.Handler] {
        [
            Self.planKind: { job in try await self.plan(invoiceID: try ReminderJobs.text("invoice", in: job)) },
            Ledger.reminderSendJob: { job in try await self.send(reminderID: try ReminderJobs.id(in: job)) },
        ]
    }

    /// Plans (or replans, or stops) the reminders of `invoiceID` from what Jobber says now.
    /// Returns the reminders still to come.
    @discardableResult
    public func plan(invoiceID: String) async throws -> [ReminderRecord] {
        guard mode != .off else { return [] }
        let (invoice, dueDay) = try await invoices().dueView(invoiceID: invoiceID)
        if let reason = try refusal(of: invoice) {
            try await stop(invoiceID: invoiceID, reason: "No reminder: \(reason).")
            logger.info("no reminders", metadata: ["invoice": "\(invoice.number)", "reason": "\(reason)"])
            return []
        }
        let due = dueDay.flatMap(rules.startOfDay)
        let planned = rules.schedule(due: due, now: ledger.now()).map { NewReminder(number: $0.number, day: $0.day, sendAt: $0.at) }
        return try ledger.planReminders(invoiceID: invoiceID, invoiceNumber: invoice.number, dueKey: dueDay ?? "none", planned)
    }

    /// Sends reminder `id` if it is still due: the invoice read again, quiet hours kept, and in
    /// suggest mode held for a person instead.
    public func send(reminderID id: Int64) async throws {
        guard let reminder = try ledger.reminder(id: id) else { return }
        // Scheduled, or approved by a person during quiet hours and waiting for the morning.
        let approval = try reminder.approvalID.flatMap { try ledger.approval(id: $0) }
        let approved = approval?.state == .approved
        guard reminder.state == .scheduled || (reminder.state == .proposed && approved) else { return }
        guard mode != .off else {
            try ledger.finishReminder(id: id, state: .skipped, outcome: "reminders.mode is off: not sent.", by: Ledger.remindersActor)
            return
        }
        let now = ledger.now()
        guard rules.isQuietFree(now) else {
            let opens = rules.nextAllowed(after: now)
            throw OutboxJobWaiting(
                reason: "Quiet hours (outside \(rules.window)): reminder \(id) waits for the morning.",
                recheckAfter: max(60, opens.timeIntervalSince(now)))
        }
        let invoice = try await invoices().invoice(id: reminder.invoiceID)
        let owed = try owed(on: invoice)
        if let reason = try refusal(of: invoice) {
            try await stop(invoiceID: reminder.invoiceID, reason: "Not sent: \(reason).")
            return
        }
        // A decline's recovery already asks this customer for money on this invoice: one chaser.
        if try ledger.activeDeclineRecovery(invoiceID: reminder.invoiceID) != nil {
            try ledger.finishReminder(
                id: id, state: .skipped, outcome: "Not sent: a decline's recovery is already asking for this invoice.",
                by: Ledger.remindersActor)
            return
        }
        let what = ReminderRules.Reminder(number: reminder.number, day: reminder.day, at: reminder.sendAt).words
        if mode == .suggest, reminder.state == .scheduled {
            try ledger.proposeReminder(
                id: id,
                summary: "remind \(invoice.clientName) of invoice #\(invoice.number) (\(owed.formatted) due) with a payment link",
                reason: "Reminder \(reminder.number) of \(rules.days.count): \(what); \(owed.formatted) is still owed.", amount: owed)
        } else {
            try await deliver(reminder, invoice: invoice, by: approved ? approval?.decidedBy ?? "a manager" : Ledger.remindersActor)
        }
    }

    /// Skips what is still to come for the invoice, and cancels the reminders' links still open:
    /// a paid invoice's old link must not take money again.
    func stop(invoiceID: String, reason: String) async throws {
        try ledger.stopReminders(invoiceID: invoiceID, reason: reason)
        try await cancelOpenLinks(invoiceID: invoiceID)
    }

    /// Cancels the invoice's reminder links still open, but `keeping`: the newest replaces them.
    private func cancelOpenLinks(invoiceID: String, keeping: Int64? = nil) async throws {
        for reminder in try ledger.reminders(invoiceID: invoiceID) {
            guard let linkID = reminder.linkID, linkID != keeping, try ledger.link(id: linkID)?.state == .open else { continue }
            _ = try await links().cancel(linkID: linkID, operator: Ledger.remindersActor)
        }
    }

    /// A person approved the reminder of approval `approvalID`: sent now, unless the invoice has
    /// been paid meanwhile. Returns the reminder as it ended.
    public func runApproved(approvalID: Int64, by manager: String) async throws -> ReminderRecord {
        guard let reminder = try ledger.reminder(approvalID: approvalID) else {
            throw LedgerError.invalidRequest("Approval \(approvalID) proposes no reminder.")
        }
        guard reminder.state == .proposed else { return reminder }
        let invoice = try await invoices().invoice(id: reminder.invoiceID)
        if let reason = try refusal(of: invoice) {
            return try ledger.finishReminder(id: reminder.id, state: .skipped, outcome: "Not sent: \(reason).", by: manager)
        }
        let now = ledger.now()
        guard rules.isQuietFree(now) else {
            // Approved at night: it goes when quiet hours end, through its own job.
            let opens = rules.nextAllowed(after: now)
            try ledger.enqueue(
                NewOutboxJob(
                    kind: Ledger.reminderSendJob, dedupeKey: "\(Ledger.reminderSendJob).\(reminder.id).approved",
                    payload: #"{"id":\#(reminder.id)}"#, runAt: opens))
            return reminder
        }
        try await deliver(reminder, invoice: invoice, by: manager)
        return try ledger.reminder(id: reminder.id) ?? reminder
    }

    /// Why `invoice` gets no reminder now (paid, over the limit, not sent, or a card dispute open
    /// on one of its payments: the client's bank is taking money back), or nil.
    private func refusal(of invoice: InvoiceSnapshot) throws -> String? {
        let standing = try ledger.standing(invoiceID: invoice.id)
        if let dispute = standing.disputeReason { return dispute }
        return rules.refusal(balance: standing.room(in: invoice.balance), payable: invoice.status.isPayable)
    }

    /// Jobber's balance less what posplus took that Jobber does not count yet: a customer who
    /// paid a link a minute ago is not reminded.
    private func owed(on invoice: InvoiceSnapshot) throws -> Money {
        try ledger.standing(invoiceID: invoice.id).room(in: invoice.balance)
    }

    private func deliver(_ reminder: ReminderRecord, invoice: InvoiceSnapshot, by actor: String) async throws {
        let contacts = try await invoices().itemization(invoiceID: reminder.invoiceID).client
        guard let recipient = PaymentLinkService<C>.Recipient.preferred(in: contacts, emailFirst: true) else {
            try ledger.finishReminder(
                id: reminder.id, state: .skipped, outcome: "\(contacts.name) has no email and no phone that takes texts in Jobber.",
                by: actor)
            return
        }
        do {
            let owed = try owed(on: invoice)
            let link = try await links().send(
                invoiceNumber: invoice.number, amount: owed == invoice.balance ? nil : owed, to: recipient, operator: Ledger.remindersActor,
                idempotencyKey: try IdempotencyKey(reminder.idempotencyKey))
            try ledger.finishReminder(
                id: reminder.id, state: .sent, outcome: "Link \(link.id) for \(link.amount.formatted) sent to \(recipient.address).",
                linkID: link.id, by: actor)
            try await cancelOpenLinks(invoiceID: reminder.invoiceID, keeping: link.id)
        } catch let hold as ApprovalHold {
            guard case .waiting(let record) = hold else {
                try ledger.finishReminder(id: reminder.id, state: .skipped, outcome: hold.description, by: actor)
                return
            }
            throw OutboxJobWaiting(reason: "The reminder's link waits for a manager: approval \(record.id).", recheckAfter: 300)
        } catch let refusal as ChargeRefusal {
            try ledger.finishReminder(id: reminder.id, state: .skipped, outcome: "Not sent: \(refusal)", by: actor)
        } catch let refusal as LedgerError {
            try ledger.finishReminder(id: reminder.id, state: .skipped, outcome: "Not sent: \(refusal)", by: actor)
        }
    }
}

/// The outbox jobs of reminders, queued by the Jobber webhook inbox.
enum ReminderJobs {
    /// Plan the reminders of `invoiceID`, once per webhook event (`event` is its stored id).
    static func plan(invoiceID: String, event: Int64) -> NewOutboxJob {
        NewOutboxJob(
            kind: InvoiceReminders<ContinuousClock>.planKind, dedupeKey: "reminders.plan.\(event)",
            payload: #"{"invoice":\#(JSONText.quote(invoiceID))}"#)
    }

    static func id(in job: OutboxJobRecord) throws -> Int64 { try DeclineJobs.id(in: job) }

    static func text(_ key: String, in job: OutboxJobRecord) throws -> String {
        let payload = try JSONDecoder().decode([String: String].self, from: Data(job.payload.utf8))
        guard let value = payload[key] else { throw LedgerError.invalidRequest("Job \(job.id) names no \(key).") }
        return value
    }
}

import Bridge
import Foundation
import Hummingbird
import Ledger
import PosPlusCore

/// Follow-ups of money owed (issue 13, parts 2 and 6): the decline recoveries with their steps,
/// the office's open tasks, and invoice reminders — what `posplus declines` and `posplus
/// reminders` show, for the console. Reading is for whoever sees payments (front desk and up);
/// closing a task is the counter's collecting work, so it takes ``Permission/chargeCard``, the
/// permission that marks the people who take money (front desk and up, never a technician).
/// Proposals to approve are not here: they are ordinary approvals (`/api/approvals`).
struct FollowUpRoutes: Sendable {
    let app: PosPlusApp

    /// `POST /api/declines/tasks/{id}/done`: what was done, for the audit log.
    struct DoneBody: StrictBody {
        var note: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case note }
    }
    struct Recoveries: Encodable { var recoveries: [DeclineRecoveryView] }
    struct Tasks: Encodable { var tasks: [OfficeTaskView] }
    struct Reminders: Encodable { var reminders: [ReminderView] }

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/declines", .permission(.viewPayments))) { call in
                let state: DeclineRecoveryRecord.State?
                switch call.query("state") ?? "active" {
                case "active": state = .active
                case "all": state = nil
                case let text:
                    throw APIError(.badRequest, code: "invalid_parameter", message: "state is active or all, not \(text).")
                }
                let ledger = try app.ledger()
                let recoveries = try ledger.declineRecoveries(state: state).map { recovery in
                    DeclineRecoveryView(recovery, steps: try ledger.declineSteps(recoveryID: recovery.id))
                }
                return call.json(Recoveries(recoveries: recoveries))
            },
            APIEndpoint(APIRoute(.get, "/api/declines/tasks", .permission(.viewPayments))) { call in
                let ledger = try app.ledger()
                let tasks = try ledger.openOfficeTasks().map { task in
                    OfficeTaskView(task, recovery: try ledger.declineRecovery(id: task.recoveryID))
                }
                return call.json(Tasks(tasks: tasks))
            },
            APIEndpoint(APIRoute(.post, "/api/declines/tasks/{id}/done", .permission(.chargeCard))) { call in
                let id = try call.id(of: "task")
                guard let note = try ApprovalRoutes.note(try await call.body(DoneBody.self).note) else {
                    throw APIError(
                        .badRequest, code: "note_required", message: "Say what was done in \"note\": one line, kept in the audit log.")
                }
                let ledger = try app.ledger()
                guard let task = try ledger.declineStep(id: id), task.action == .officeTask else {
                    throw APIError(
                        .notFound, code: "not_found", message: "No office task \(id); GET /api/declines/tasks lists the open ones.")
                }
                guard task.state == .open else {
                    throw APIError(
                        .conflict, code: "task_closed",
                        message: "Task \(id) was already closed by \(task.decidedBy ?? "someone"): \(task.outcome ?? "").")
                }
                let closed = try ledger.closeOfficeTask(
                    id: id, note: note.trimmingCharacters(in: .whitespaces), by: try call.staff.name)
                return call.json(OfficeTaskView(closed, recovery: try ledger.declineRecovery(id: closed.recoveryID)))
            },
            APIEndpoint(APIRoute(.get, "/api/reminders", .permission(.viewPayments))) { call in
                let ledger = try app.ledger()
                let reminders: [ReminderRecord]
                switch call.query("state") ?? "all" {
                case "all": reminders = try ledger.reminders(invoiceID: call.query("invoice"))
                case "upcoming":
                    let upcoming = try ledger.upcomingReminders()
                    reminders = call.query("invoice").map { invoice in upcoming.filter { $0.invoiceID == invoice } } ?? upcoming
                case let text:
                    throw APIError(.badRequest, code: "invalid_parameter", message: "state is all or upcoming, not \(text).")
                }
                return call.json(Reminders(reminders: reminders.map(ReminderView.init)))
            },
        ]
    }
}

/// One decline recovery as the API shows it, with its steps in order.
struct DeclineRecoveryView: Encodable {
    var id: Int64
    var state: String
    /// The declined (or returned) payment that started it.
    var paymentID: Int64
    var invoiceID: String
    var invoiceNumber: String?
    var clientID: String?
    var explanation: String
    var nextWakeAt: Date?
    var finishReason: String?
    var createdAt: Date
    var updatedAt: Date
    var steps: [DeclineStepView]

    init(_ record: DeclineRecoveryRecord, steps: [DeclineStepRecord]) {
        id = record.id
        state = record.state.rawValue
        paymentID = record.paymentID
        invoiceID = record.invoiceID
        invoiceNumber = record.invoiceNumber
        clientID = record.clientID
        explanation = record.explanation
        nextWakeAt = record.nextWakeAt
        finishReason = record.finishReason
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        self.steps = steps.map(DeclineStepView.init)
    }
}

/// One step of a recovery: what it asks for (also in words), why, and what came of it.
struct DeclineStepView: Encodable {
    var id: Int64
    var number: Int
    var action: String
    /// "text a payment link": the action for people.
    var actionWords: String
    var tryNumber: Int?
    var state: String
    var reason: String
    var outcome: String?
    /// The approval a proposed step waits on (or waited on).
    var approvalID: Int64?
    /// The payment link the step sent.
    var linkID: Int64?
    /// The payment a retry made.
    var paymentID: Int64?
    var decidedBy: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ record: DeclineStepRecord) {
        id = record.id
        number = record.number
        action = record.action.rawValue
        actionWords = record.action.words
        tryNumber = record.tryNumber
        state = record.state.rawValue
        reason = record.reason
        outcome = record.outcome
        approvalID = record.approvalID
        linkID = record.linkID
        paymentID = record.resultPaymentID
        decidedBy = record.decidedBy
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// An office task with the invoice it is about, and whether its recovery still runs (a task
/// stays open after the invoice is paid until a person closes it).
struct OfficeTaskView: Encodable {
    var id: Int64
    var recoveryID: Int64
    var state: String
    var invoiceID: String?
    var invoiceNumber: String?
    /// The declined payment the recovery follows up.
    var declinedPaymentID: Int64?
    var reason: String
    var outcome: String?
    var closedBy: String?
    var recoveryState: String?
    var recoveryFinishReason: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ task: DeclineStepRecord, recovery: DeclineRecoveryRecord?) {
        id = task.id
        recoveryID = task.recoveryID
        state = task.state.rawValue
        invoiceID = recovery?.invoiceID
        invoiceNumber = recovery?.invoiceNumber
        declinedPaymentID = recovery?.paymentID
        reason = task.reason
        outcome = task.outcome
        closedBy = task.state == .open ? nil : task.decidedBy
        recoveryState = recovery?.state.rawValue
        recoveryFinishReason = recovery?.finishReason
        createdAt = task.createdAt
        updatedAt = task.updatedAt
    }
}

/// One reminder of an unpaid invoice: when it goes, and what came of it.
struct ReminderView: Encodable {
    var id: Int64
    var invoiceID: String
    var invoiceNumber: String
    var number: Int
    /// Days relative to the due date (-3 is three days before).
    var day: Int
    var sendAt: Date
    var state: String
    var approvalID: Int64?
    var linkID: Int64?
    var outcome: String?

    init(_ record: ReminderRecord) {
        id = record.id
        invoiceID = record.invoiceID
        invoiceNumber = record.invoiceNumber
        number = record.number
        day = record.day
        sendAt = record.sendAt
        state = record.state.rawValue
        approvalID = record.approvalID
        linkID = record.linkID
        outcome = record.outcome
    }
}

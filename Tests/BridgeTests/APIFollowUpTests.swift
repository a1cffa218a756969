import Bridge
import Foundation
import HTTPClient
import JobberSimulator
import Ledger
import PosPlusCore
import Testing

/// `/api/declines`, `/api/declines/tasks` and `/api/reminders` through a real `serve`: a
/// recovery made on the simulators as ``DeclineRecoveryTests`` makes one (a hard decline at the
/// PAX simulator, the outbox stepped on to the office task), reminders planned from the Jobber
/// simulator as ``InvoiceReminderTests`` plans them; then what the API shows and what closing a
/// task writes to the ledger.
@Suite("Staff API: follow-ups of declines and reminders", .timeLimit(.minutes(2)))
struct APIFollowUpTests {
    /// A hard decline of $20.02 on #1043 at the counter, followed up to the office's task.
    static func worldWithOfficeTask() async throws -> (APIWorld, DeclineStepRecord) {
        let world = try await DeclineRecoveryTests.world(mode: "auto")
        let declined = try await world.app.paymentService().charge(
            .init(target: .invoiceNumber("1043"), amount: Money(minorUnits: 2_002, currency: .usd), intent: .partial),
            on: try world.app.channel(named: "front-desk"), operator: "fred", idempotencyKey: try IdempotencyKey("counter-hard"))
        #expect(declined.state == .declined)
        try await DeclineRecoveryTests.drain(world)
        try await DeclineRecoveryTests.wakeUp(world, try DeclineRecoveryTests.recovery(world))
        try await DeclineRecoveryTests.wakeUp(world, try DeclineRecoveryTests.recovery(world))
        let task = try #require(try DeclineRecoveryTests.steps(world).last)
        #expect(task.action == .officeTask && task.state == .open, "\(task)")
        return (world, task)
    }

    @Test func theCounterSeesRecoveriesWithTheirStepsAndTheOpenTasks() async throws {
        let (world, task) = try await Self.worldWithOfficeTask()
        let answer = try await world.send(as: "fred", .get, "/api/declines")
        #expect(answer.status == 200, "\(answer.text)")
        let recoveries = try #require(try APIWorld.object(answer)["recoveries"] as? [[String: Any]])
        #expect(recoveries.count == 1)
        let recovery = recoveries[0]
        #expect(recovery["invoiceNumber"] as? String == "1043" && recovery["state"] as? String == "active")
        #expect((recovery["explanation"] as? String)?.hasPrefix("Hard decline") == true, "\(recovery)")
        let steps = try #require(recovery["steps"] as? [[String: Any]])
        #expect(steps.map { $0["action"] as? String } == ["textLink", "emailLink", "officeTask"])
        #expect(steps[0]["actionWords"] as? String == "text a payment link" && steps[0]["state"] as? String == "done")
        let link = try #require(try world.ledger.declineSteps(recoveryID: task.recoveryID).first?.linkID)
        #expect((steps[0]["linkID"] as? NSNumber)?.int64Value == link)
        #expect(steps[2]["state"] as? String == "open" && (steps[2]["reason"] as? String)?.contains("call the customer") == true)

        let tasks = try #require(
            try APIWorld.object(try await world.send(as: "meg", .get, "/api/declines/tasks"))["tasks"] as? [[String: Any]])
        #expect(tasks.count == 1)
        #expect((tasks.first?["id"] as? NSNumber)?.int64Value == task.id && tasks.first?["invoiceNumber"] as? String == "1043")
        #expect(tasks.first?["recoveryState"] as? String == "active")

        // A technician sees none of it.
        #expect(try await world.send(as: "tess", .get, "/api/declines").status == 403)
        #expect(try await world.send(as: "tess", .get, "/api/declines/tasks").status == 403)
        let bad = try await world.send(as: "fred", .get, "/api/declines?state=open")
        #expect(bad.status == 400 && APIWorld.error(bad)?.message == "state is active or all, not open.")
        await world.stop()
    }

    @Test func theFrontDeskClosesATaskWithANoteAndTheLedgerKeepsWhoAndWhat() async throws {
        let (world, task) = try await Self.worldWithOfficeTask()
        let path = "/api/declines/tasks/\(task.id)/done"
        // Notes are checked before anything is written: none, two lines, a card number, too long.
        for body in [
            "{}", #"{"note":"  "}"#, #"{"note":"called\nno answer"}"#, #"{"note":"card 4242 4242 4242 4242"}"#,
            #"{"note":"\#(String(repeating: "a", count: 501))"}"#, #"{"note":"ok","extra":1}"#,
        ] {
            let refused = try await world.send(as: "fred", .post, path, json: body)
            #expect(refused.status == 400, "\(body): \(refused.text)")
        }
        #expect(try await world.send(as: "tess", .post, path, json: #"{"note":"called"}"#).status == 403)
        #expect(try world.ledger.declineStep(id: task.id)?.state == .open)

        let done = try await world.send(as: "fred", .post, path, json: #"{"note":"Called Grace: she pays by cheque Friday."}"#)
        #expect(done.status == 200, "\(done.text)")
        let view = try APIWorld.object(done)
        #expect(view["state"] as? String == "done" && view["closedBy"] as? String == "fred")
        let closed = try #require(try world.ledger.declineStep(id: task.id))
        #expect(closed.state == .done && closed.decidedBy == "fred" && closed.outcome == "Called Grace: she pays by cheque Friday.")
        let audit = try #require(try world.ledger.auditEvents().last { $0.kind == "decline.step.done" })
        #expect(audit.actor == "fred", "\(audit)")
        #expect(try world.ledger.openOfficeTasks().isEmpty)

        // Closed once: a second close is a conflict; a step that is no task, or none, is not found.
        let again = try await world.send(as: "meg", .post, path, json: #"{"note":"also called"}"#)
        #expect(again.status == 409 && APIWorld.error(again)?.code == "task_closed", "\(again.text)")
        let textStep = try #require(try world.ledger.declineSteps(recoveryID: task.recoveryID).first)
        #expect(try await world.send(as: "fred", .post, "/api/declines/tasks/\(textStep.id)/done", json: #"{"note":"x"}"#).status == 404)
        #expect(try await world.send(as: "fred", .post, "/api/declines/tasks/99999/done", json: #"{"note":"x"}"#).status == 404)
        #expect(try world.ledger.declineStep(id: task.id)?.outcome == "Called Grace: she pays by cheque Friday.")
        await world.stop()
    }

    @Test func remindersShowPlannedSentAndUpcoming() async throws {
        let world = try await InvoiceReminderTests.world(mode: "auto")
        _ = try await InvoiceReminderTests.fiveDaysBeforeDue(in: world)
        let planned = try await world.app.invoiceReminders().plan(invoiceID: InvoiceReminderTests.invoice1044)
        try await InvoiceReminderTests.reach(planned[0], in: world)
        let invoice = InvoiceReminderTests.invoice1044.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""

        let all = try #require(
            try APIWorld.object(try await world.send(as: "fred", .get, "/api/reminders?invoice=\(invoice)"))["reminders"]
                as? [[String: Any]])
        #expect(all.map { $0["state"] as? String } == ["sent", "scheduled", "scheduled"])
        #expect(all.map { $0["day"] as? Int } == [-3, 0, 7] && all.allSatisfy { $0["invoiceNumber"] as? String == "1044" })
        let link = try #require(try world.ledger.reminder(id: planned[0].id)?.linkID)
        #expect((all[0]["linkID"] as? NSNumber)?.int64Value == link)

        let upcoming = try #require(
            try APIWorld.object(try await world.send(as: "meg", .get, "/api/reminders?state=upcoming"))["reminders"] as? [[String: Any]])
        #expect(upcoming.map { ($0["id"] as? NSNumber)?.int64Value } == planned.dropFirst().map(\.id))
        let other = try APIWorld.object(try await world.send(as: "meg", .get, "/api/reminders?invoice=nothing-here"))
        #expect((other["reminders"] as? [Any])?.isEmpty == true)
        #expect(try await world.send(as: "tess", .get, "/api/reminders").status == 403)
        #expect(try await world.send(as: "fred", .get, "/api/reminders?state=sent").status == 400)
        await world.stop()
    }
}

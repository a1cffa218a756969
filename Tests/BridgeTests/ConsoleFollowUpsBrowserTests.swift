import Foundation
import Ledger
import PosPlusCore
import Testing

/// The console's follow-ups page in a real browser (``ConsoleBrowserTests`` runs Chromium the
/// same way): the front desk reads an office task, a running recovery and a reminder to come,
/// and closes the task with a note; the ledger then holds who closed it and what they said.
/// Screenshots go to `.build/console-screenshots/followups/`.
@Suite("Console follow-ups page in Chromium", .serialized, .timeLimit(.minutes(3)))
struct ConsoleFollowUpsBrowserTests {
    @Test func theFrontDeskClosesAnOfficeTaskWithANote() async throws {
        try await ConsoleBrowserTests.requireBrowser()
        let (world, task) = try await APIFollowUpTests.worldWithOfficeTask()
        // One reminder of #1044 to come, as a webhook would have planned it.
        try world.ledger.planReminders(
            invoiceID: "invoice-1044", invoiceNumber: "1044", dueKey: "2026-12-20",
            [NewReminder(number: 1, day: -3, sendAt: world.clock.date.addingTimeInterval(2 * 86_400))])
        let folder = ConsoleBrowserTests.screenshots.appendingPathComponent("followups")
        print("console screenshots: \(folder.path)")
        let note = "Called Grace: a cheque comes Friday."
        let result = try await ConsoleBrowserTests.run(
            "console_followups.py", [world.server.baseURL, folder.path, "fred", APIWorld.password, "\(task.id)", note])
        #expect(result.status == 0, "\(result.output)")

        let closed = try #require(try world.ledger.declineStep(id: task.id))
        #expect(closed.state == .done && closed.decidedBy == "fred" && closed.outcome == note, "\(closed)")
        #expect(try world.ledger.openOfficeTasks().isEmpty)
        let byPeople = try world.ledger.auditEvents().filter { $0.kind == "decline.step.done" && !$0.actor.hasPrefix("posplus") }
        #expect(byPeople.map(\.actor) == ["fred"] && byPeople.first?.detail.contains(note) == true, "\(byPeople)")
        await world.stop()
    }
}

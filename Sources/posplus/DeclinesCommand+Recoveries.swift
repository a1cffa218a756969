import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

extension DeclinesCommand {
    /// `posplus declines list`: the recoveries running (or all), newest first.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List decline recoveries: running ones, or all with --all.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Finished ones too.") var all = false

        func run() throws {
            let app = try global.app()
            let ledger = try app.ledger()
            let recoveries = try ledger.declineRecoveries(state: all ? nil : .active)
            guard !recoveries.isEmpty else {
                print(all ? "No decline has been followed up yet." : "No recovery is running. (`--all` shows finished ones.)")
                return
            }
            for recovery in recoveries { print(DeclineText.summary(recovery, timeZone: app.config.reconcile.timeZone)) }
        }
    }

    /// `posplus declines show ID`: one recovery, its steps and their outcomes.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a decline recovery: why, each step and what came of it.",
            discussion: "Times are on the business's clock (reconcile.time_zone), the zone named.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The recovery's id (`posplus declines list`).", valueName: "id")) var id: Int64

        func run() throws {
            let app = try global.app()
            let ledger = try app.ledger()
            let zone = app.config.reconcile.timeZone
            guard let recovery = try ledger.declineRecovery(id: id) else {
                throw ValidationError("No decline recovery \(id); `posplus declines list --all` lists them.")
            }
            print(DeclineText.summary(recovery, timeZone: zone))
            print("  Why: \(recovery.explanation)")
            for step in try ledger.declineSteps(recoveryID: id) { print("  " + DeclineText.step(step, timeZone: zone)) }
            if let reason = recovery.finishReason { print("  Ended: \(reason)") }
        }
    }

    /// `posplus declines tasks`: what the office has to do by hand.
    struct Tasks: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the office's open tasks from decline recoveries, oldest first.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let app = try global.app()
            let ledger = try app.ledger()
            let tasks = try ledger.openOfficeTasks()
            guard !tasks.isEmpty else {
                print("No open task.")
                return
            }
            for task in tasks {
                let invoice = try ledger.declineRecovery(id: task.recoveryID)?.invoiceNumber.map { "invoice #\($0)" } ?? "an invoice"
                print(
                    "Task \(task.id) (\(invoice), since \(LocalTimeText.text(task.createdAt, in: app.config.reconcile.timeZone))): \(task.reason)"
                )
            }
            print("Close one with `posplus declines done TASK --note \"what was done\"`.")
        }
    }

    /// `posplus declines done TASK`: a person closes an office task.
    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an office task, saying what was done (kept in the audit log).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The task's id (`posplus declines tasks`).", valueName: "task")) var id: Int64
        @Option(help: "What was done: one line.") var note: String
        @OptionGroup var by: OperatorOption

        func validate() throws { try Self.check(note) }

        /// A note is one line of at most 500 characters and never a card number: checked first.
        static func check(_ note: String) throws {
            let trimmed = note.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= 500, !trimmed.contains(where: \.isNewline),
                !CardNumberScreen.containsCardNumber(trimmed)
            else { throw ValidationError("--note is one line of up to 500 characters, and never a card number.") }
        }

        func run() throws {
            let ledger = try global.app().ledger()
            let task = try ledger.closeOfficeTask(id: id, note: note.trimmingCharacters(in: .whitespaces), by: by.name)
            print("Task \(task.id) closed by \(by.name): \(task.outcome ?? "")")
        }
    }
}

extension DeclinesCommand {
    /// `posplus declines stop ID`: a person ends one recovery.
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop one decline recovery: nothing more is sent or charged, and its open links are cancelled.",
            discussion: """
                For a customer who is paying another way. Waiting proposals are withdrawn and open tasks closed.
                Example:
                  posplus declines stop 3 --note "paying by cheque on Friday" --operator meg
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The recovery's id (`posplus declines list`).", valueName: "id")) var id: Int64
        @Option(help: "Why: one line, kept in the audit log.") var note: String
        @OptionGroup var by: OperatorOption

        func validate() throws { try Done.check(note) }

        func run() async throws {
            let app = try global.app()
            let ledger = try app.ledger()
            let stopped = try ledger.stopDeclineRecovery(id: id, reason: note.trimmingCharacters(in: .whitespaces), by: by.name)
            print("Recovery \(id) stopped. \(stopped.finishReason ?? "")")
            // Its open links are cancelled at the processor now where it is set up, else by `serve`.
            do { try await app.declineRecoveries().tick(recoveryID: id) } catch {
                print("Its open links could not be cancelled from here (\(error)); `posplus serve` cancels them.")
                try ledger.enqueue(
                    NewOutboxJob(kind: "declines.tick", dedupeKey: "declines.tick.\(id).stopped", payload: #"{"id":\#(id)}"#))
            }
        }
    }
}

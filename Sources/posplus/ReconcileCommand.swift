import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore
import Reconcile

/// `posplus reconcile …`: the office's daily check that terminals, Stripe, the ledger and Jobber
/// agree, and the review of what does not.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Match terminals, Stripe, the ledger and Jobber to the cent; list, show and resolve the differences.",
        discussion: """
            Run daily. Reads each side for the window (from where the last run ended, or --since), \
            joins by posplus's own reference, then the processor's id, then invoice + amount + date \
            for a payment the office typed into Jobber, and classifies every difference. Exits 0 \
            when nothing is left to review, 1 otherwise. --apply performs only the safe actions: \
            adopt a paid link the ledger lacks, queue a missing Jobber note, record a refund made \
            at Stripe outside posplus, settle a bank debit that cleared, deactivate a link on an \
            invoice paid elsewhere. It never charges, refunds or voids.
            """,
        subcommands: [Run.self, Last.self, List.self, Show.self, Resolve.self], defaultSubcommand: Run.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reconcile a window and print the summary and the differences.",
            discussion: """
                Examples:
                  posplus reconcile                          from where the last run ended
                  posplus reconcile --since 2026-11-01 --until 2026-12-01 --csv
                  posplus reconcile --apply
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Start of the window (YYYY-MM-DD, UTC); redoes any window.", valueName: "date"))
        var since: String?

        @Option(help: ArgumentHelp("End of the window, exclusive (YYYY-MM-DD, UTC; default: now).", valueName: "date"))
        var until: String?

        @Flag(help: "Perform the safe actions (adopt, queue write-back, record outside refund, settle, deactivate link).")
        var apply = false

        @Option(help: ArgumentHelp("Read only this terminal's open batch (default: every configured terminal).", valueName: "name"))
        var terminal: String?

        @Flag(help: "Print the items as JSON.")
        var json = false

        @Flag(help: "Print the items as CSV.")
        var csv = false

        @OptionGroup var operatorName: OperatorOption

        func validate() throws {
            if json && csv { throw ValidationError("Choose one of --json and --csv.") }
            if let terminal, terminal.isEmpty || terminal.count > 64 || terminal.contains(where: { $0.isNewline }) {
                throw ValidationError("--terminal takes a terminal's name (1 to 64 characters on one line).")
            }
            let start = try since.map { try Self.day($0, "--since") }
            let end = try until.map { try Self.day($0, "--until") }
            if let start, let end, start >= end { throw ValidationError("--since must be before --until.") }
        }

        static func day(_ text: String, _ option: String) throws -> Date {
            guard text.count == 10, let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) else {
                throw ValidationError("\(option) takes a date as YYYY-MM-DD, not \"\(text.prefix(40))\".")
            }
            return date
        }

        func run() async throws {
            let app = try global.app()
            var service = try app.reconcileService()
            let progress = ProgressLine.wanted ? ProgressLine() : nil
            if let progress { service.progress = { progress.draw($0) } }
            let report: ReconcileReport
            do {
                report = try await service.run(
                    since: try since.map { try Self.day($0, "--since") }, until: try until.map { try Self.day($0, "--until") } ?? Date(),
                    apply: apply, terminal: terminal, actor: operatorName.name)
                progress?.clear()
            } catch {
                progress?.clear()  // before the error is printed on the same terminal
                throw error
            }
            if json {
                print(try ReconcileOutput.json(report))
            } else if csv {
                print(ReconcileOutput.csv(report), terminator: "")
            } else {
                print(ReconcileOutput.text(report))
            }
            let open = try app.ledger().reconcileItems(status: [.open]).filter { $0.kind != ReconcileClass.expected.rawValue }
            if !open.isEmpty { throw ExitCode(1) }
        }
    }

    struct Last: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the report of the last run (serve's scheduled one or the CLI's) without running again.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print it as JSON.")
        var json = false

        func run() throws {
            guard let kept = try global.app().ledger().lastReconcileReport() else {
                print("No reconcile has run yet. Run `posplus reconcile`, or let `posplus serve` run it on its schedule.")
                return
            }
            let report = try ReconcileReport.decode(kept.report)
            if json {
                print(try report.json())
            } else {
                print("Run by \(kept.actor) at \(Formatting.timestamp(kept.ranAt)); \(kept.applied) applied, \(kept.toReview) to review.\n")
                print(ReconcileOutput.text(report))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored differences (open ones unless --all).")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Every item, closed ones too.")
        var all = false

        func run() throws {
            let items = try global.app().ledger().reconcileItems(status: all ? Set(ReconcileItemRecord.Status.allCases) : [.open])
            guard !items.isEmpty else {
                print(all ? "No reconcile items yet." : "Nothing open: every difference is resolved.")
                return
            }
            var rows = [["ID", "CLASS", "REFERENCE", "INVOICE", "DIFFERENCE", "STATUS", "FIRST SEEN", "EXPLANATION"]]
            for item in items {
                rows.append([
                    String(item.id), item.kind, item.reference ?? "", item.invoiceID ?? "", ReconcileOutput.difference(item),
                    item.status.rawValue, Formatting.timestamp(item.firstSeenAt), item.explanation,
                ])
            }
            print(Formatting.table(rows))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one difference with each side's records and its history.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The item's id (from `posplus reconcile list`).")
        var id: Int64

        func run() throws {
            let ledger = try global.app().ledger()
            guard let item = try ledger.reconcileItem(id: id) else {
                throw ValidationError(LedgerError.reconcileItemNotFound(id).description)
            }
            print(ReconcileOutput.detail(item))
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a difference as matched, written off or ignored, with why (audited).",
            discussion: "Example: posplus reconcile resolve 12 --as write-off --note \"customer refunded in cash\" --operator dana")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The item's id.")
        var id: Int64

        @Option(name: .customLong("as"), help: ArgumentHelp("matched, write-off or ignored.", valueName: "resolution"))
        var resolution: ReconcileItemRecord.Resolution

        @Option(help: ArgumentHelp("Why, for the audit trail.", valueName: "text"))
        var note: String

        @OptionGroup var operatorName: OperatorOption

        func validate() throws {
            let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 500 else { throw ValidationError("--note must say why, in 1 to 500 characters.") }
            guard !CardNumberScreen.containsCardNumber(note) else { throw ValidationError("--note must not hold a card number.") }
        }

        func run() throws {
            let item = try global.app().ledger().resolveReconcileItem(id: id, as: resolution, note: note, by: operatorName.name)
            print("Item \(id) resolved as \(resolution.rawValue) by \(item.resolvedBy ?? operatorName.name).")
        }
    }
}

extension ReconcileItemRecord.Resolution: ExpressibleByArgument {}

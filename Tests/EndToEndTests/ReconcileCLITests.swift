import Foundation
import Ledger
import Testing

/// The office's review through the real binary and a real ledger file: an open difference
/// makes `posplus reconcile` exit 1, is listed and shown, resolved with who and why, and then
/// the run exits 0. Bad input gets a sentence naming it.
@Suite("posplus reconcile: the review workflow through the binary", .timeLimit(.minutes(1)))
struct ReconcileCLITests {
    @Test func anOpenDifferenceIsListedShownResolvedAndTheRunThenExitsZero() throws {
        let cli = try CLIRunner()
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let november = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01 UTC
        try ledger.recordReconcileRun(
            [
                FoundDifference(
                    key: "missing-at-processor:R0001", kind: "missing-at-processor", reference: "R0001", invoiceID: "inv-7",
                    explanation: "the processor has no succeeded payment for R0001", occurredAt: november.addingTimeInterval(86_400),
                    detail: "{}", differenceMinor: 1_250, currency: .usd, action: nil)
            ], since: november, until: november.addingTimeInterval(7 * 86_400), actor: "office")
        let id = try #require(try ledger.reconcileItems().first?.id)
        let ledgerOption = ["--ledger", cli.ledgerPath]

        let open = try cli.run(["reconcile", "--since", "2026-12-01", "--until", "2026-12-02"] + ledgerOption)
        #expect(open.status == 1, "an open difference is left to review: \(open.stdout)\(open.stderr)")
        #expect(open.stdout.contains("processor not read"))
        #expect(!open.stderr.contains("terminals") && !open.stdout.contains("terminals\u{1B}"), "no progress bar into a pipe")
        let onTerminal = try cli.runOnTerminal(["reconcile", "--since", "2026-12-01", "--until", "2026-12-02"] + ledgerOption)
        #expect(onTerminal.stdout.contains("0/1 terminals"), "a progress bar on a terminal: \(onTerminal.stdout)")

        let list = try cli.run(["reconcile", "list"] + ledgerOption)
        #expect(list.status == 0 && list.stdout.contains("missing-at-processor") && list.stdout.contains("12.50 USD"), "\(list.stdout)")
        let show = try cli.run(["reconcile", "show", String(id)] + ledgerOption)
        #expect(show.stdout.contains("Reference: R0001") && show.stdout.contains("Status: open"), "\(show.stdout)")

        let resolved = try cli.run(
            ["reconcile", "resolve", String(id), "--as", "write-off", "--note", "test charge, never settled", "--operator", "dana"]
                + ledgerOption)
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(try cli.run(["reconcile", "list"] + ledgerOption).stdout.contains("Nothing open"))
        #expect(try cli.run(["reconcile", "show", String(id)] + ledgerOption).stdout.contains("resolved as write-off by dana"))
        #expect(try cli.run(["reconcile", "--since", "2026-12-01", "--until", "2026-12-02"] + ledgerOption).status == 0)

        let last = try cli.run(["reconcile", "last"] + ledgerOption)
        #expect(last.status == 0 && last.stdout.contains("Run by staff") && last.stdout.contains("0 to review"), "\(last.stdout)")
        let lastJSON = try cli.run(["reconcile", "last", "--json"] + ledgerOption)
        #expect(lastJSON.stdout.contains("\"timeZone\" : "), "\(lastJSON.stdout)")

        let missing = try cli.run(["reconcile", "resolve", "9999", "--as", "ignored", "--note", "x"] + ledgerOption)
        #expect(missing.status != 0 && missing.stderr.contains("No reconcile item 9999"), "\(missing.stderr)")
        let badDate = try cli.run(["reconcile", "--since", "2026-13-01"] + ledgerOption)
        #expect(badDate.status != 0 && badDate.stderr.contains("--since takes a date as YYYY-MM-DD"), "\(badDate.stderr)")
        let noWhy = try cli.run(["reconcile", "resolve", String(id), "--as", "ignored", "--note", " "] + ledgerOption)
        #expect(noWhy.status != 0 && noWhy.stderr.contains("--note must say why"), "\(noWhy.stderr)")
    }
}

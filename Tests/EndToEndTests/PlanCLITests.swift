import Foundation
import Ledger
import TestSupport
import Testing

/// `posplus plan` through the real binary against the Jobber simulator: the reason is printed
/// for every proposal, a client who does not qualify cannot be put on a plan, and nothing is
/// recorded when none is accepted.
@Suite("posplus CLI: payment plans")
struct PlanCLITests {
    @Test func aProposalPrintsItsReasonAndARefusedClientGetsNoPlan() async throws {
        let cli = try CLIRunner()
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let jobber = try await ConnectedJobber.start(connecting: ledger)
        let config = cli.home.appendingPathComponent("posplus.toml").path
        try """
        [plans]
        mode = "suggest"

        [reconcile]
        time_zone = "America/New_York"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["POSPLUS_LEDGER_PATH": cli.ledgerPath].merging(jobber.environment) { $1 }
        func posplus(_ arguments: [String]) async throws -> CLIRunner.Result {
            try await onOwnThread { try cli.run(arguments + ["--config", config], environment: environment) }
        }

        let proposed = try await posplus(["plan", "propose", "1043"])
        #expect(proposed.status == 0, "\(proposed.stderr)")
        #expect(proposed.stdout.contains("Invoice #1043 (Ada Lovelace): $1,234.56 owed."), "\(proposed.stdout)")
        #expect(proposed.stdout.contains("1 open dispute. A client with an open dispute is not offered a plan."), "\(proposed.stdout)")
        #expect(!proposed.stdout.contains("Option 1"))

        let accepted = try await posplus(["plan", "accept", "1043", "--option", "1", "--operator", "ada"])
        #expect(accepted.status != 0 && accepted.stderr.contains("No plan can be accepted for invoice #1043"), "\(accepted.stderr)")
        let both = try await posplus(["plan", "accept", "1043", "--option", "1", "--card", "1", "--sms", "5555550101"])
        #expect(both.status != 0 && both.stderr.contains("Give at most one of --card, --sms and --email."), "\(both.stderr)")
        let shown = try await posplus(["plan", "show", "#1043"])
        #expect(shown.status != 0 && shown.stderr.contains("No payment plan #1043"), "\(shown.stderr)")
        #expect(try ledger.plans(invoiceNumber: "1043").isEmpty)
    }
}

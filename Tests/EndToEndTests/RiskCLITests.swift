import Bridge
import Foundation
import Ledger
import PAXSimulator
import PosPlusCore
import TestSupport
import Testing

/// Risk holds through the real binary (issue 13, part 4): `posplus risk check` explains what
/// would fire and changes nothing; in `suggest` a flagged charge exits 3 with the signals as the
/// reason, nothing sent, and a manager's approval runs it once. Ada has paid #1045 in Jobber, so
/// she is not new; Bletchley Bakery has paid nothing anywhere, and its #1060 is over a $100.00
/// new-client limit.
@Suite("posplus CLI: risk holds")
struct RiskCLITests {
    @Test func riskCheckExplainsAndAFlaggedChargeWaitsForAManager() async throws {
        let settings = """
            [risk]
            mode = "suggest"
            new_client_over = "100.00"
            """
        try await CLIWorld.run(settings: settings) { world in
            try await world.addStaff("max", role: "manager")

            let check = try await world.posplus(["risk", "check", "--invoice", "1043", "--amount", "900.00", "--keyed"])
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("Invoice #1043 for Ada Lovelace: $900.00, keyed."), "\(check.stdout)")
            #expect(check.stdout.contains("Risk score 30 (risk.mode = suggest, risk.hold_at = 50)."), "\(check.stdout)")
            #expect(!check.stdout.contains("new client"), "Ada paid #1045 in Jobber: \(check.stdout)")
            #expect(check.stdout.contains("  +30 keyed entry: $900.00 typed in by hand is over the $300.00 keyed limit"))
            #expect(check.stdout.contains("It would wait for a manager (suggest: any signal waits)."))
            #expect(
                try world.ledger.approvals().isEmpty && world.ledger.auditEvents().allSatisfy { $0.kind != "risk.score" },
                "a check changes nothing")

            let charge = try await world.posplus(["charge", "front-desk", "--invoice", "1060", "--key", "big", "--operator", "bea"])
            #expect(charge.status == 3, "\(charge.stdout) \(charge.stderr)")
            #expect(charge.stdout.contains("Waiting for a manager: approval 1 — sale of $310.00 on invoice #1060, on front-desk"))
            #expect(
                charge.stdout.contains(
                    "Why: risk score 40: new client: no earlier payment on record, nor a paid invoice in Jobber (1 invoice there, none paid), "
                        + "and $310.00 is over the $100.00 new-client limit"),
                "\(charge.stdout)")
            #expect(try world.terminal.terminal.log.isEmpty && world.ledger.payments().isEmpty, "nothing begun, nothing sent")

            let approved = try await world.posplus(["approvals", "approve", "1", "--operator", "max"])
            #expect(approved.status == 0, "\(approved.stdout) \(approved.stderr)")
            #expect(world.terminal.terminal.log.count == 1)
            #expect(try world.ledger.payments().first?.capturedMinor == 31_000)
        }
    }
}

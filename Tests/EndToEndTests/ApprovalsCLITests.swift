import Bridge
import Foundation
import GatewaySimulator
import Ledger
import PAXSimulator
import PosPlusCore
import TestSupport
import Testing

/// Approvals through the real binary: a refund over `approvals.refund_over` exits 3 having sent
/// nothing; `posplus approvals` lists it, refuses the requester and a front-desk approver, and
/// a manager's approval runs it on the terminal — two processes, one ledger.
@Suite("posplus CLI: approvals")
struct ApprovalsCLITests {
    @Test func aRefundOverTheThresholdWaitsForAManagerAndThenRuns() async throws {
        let settings = """
            [approvals]
            refund_over = "50.00"
            """
        try await CLIWorld.run(settings: settings) { world in
            try await world.addStaff("max", role: "manager")
            try await world.addStaff("bea", role: "front-desk")
            #expect(try await world.posplus(["charge", "front-desk", "--invoice", "1044", "--key", "sale"]).status == 0)

            let refund = try await world.posplus(["refund", "1", "--amount", "60.00", "--key", "big", "--operator", "bea"])
            #expect(refund.status == 3, "\(refund.stdout) \(refund.stderr)")
            #expect(refund.stdout.contains("Waiting for a manager: approval 1 — refund $60.00 of payment 1"), "\(refund.stdout)")
            #expect(refund.stdout.contains("Why: a refund of $60.00 is over the $50.00 that needs a manager"))
            #expect(world.terminal.terminal.log.count == 1, "only the sale reached the terminal")

            let list = try await world.posplus(["approvals", "list"])
            #expect(list.stdout.contains("#1  waiting   refund $60.00 of payment 1"), "\(list.stdout)")
            #expect(list.stdout.contains("asked by bea"))

            let own = try await world.posplus(["approvals", "approve", "1", "--operator", "bea"])
            #expect(own.status != 0 && own.stderr.contains("bea is front-desk; only a manager or owner approves."), "\(own.stderr)")
            let stranger = try await world.posplus(["approvals", "approve", "1", "--operator", "zed"])
            #expect(stranger.status != 0 && stranger.stderr.contains("zed is not on the staff list"), "\(stranger.stderr)")

            let approved = try await world.posplus(["approvals", "approve", "1", "--operator", "max", "--note", "customer called"])
            #expect(approved.status == 0, "\(approved.stdout) \(approved.stderr)")
            #expect(approved.stdout.contains("Approval 1 approved by max"), "\(approved.stdout)")
            #expect(approved.stdout.contains("refund $60.00 — approved"), "\(approved.stdout)")
            #expect(world.terminal.terminal.log.count == 2)
            #expect(try world.ledger.payment(id: 1)?.refundedMinor == 6_000)

            let show = try await world.posplus(["approvals", "show", "1"])
            #expect(
                show.stdout.contains("Decided:   approved by max") && show.stdout.contains("Note:      customer called"), "\(show.stdout)")
            #expect(try await world.posplus(["approvals", "list"]).stdout.contains("Nothing waits for a manager."))
            #expect(try world.ledger.verifyAuditChain().isIntact)
        }
    }

    /// `posplus link send` over `approvals.link_over` exits 3 with nothing created or emailed;
    /// a manager's approval sends it as asked, and approving again or retrying the key sends
    /// nothing more.
    @Test func aLinkOverTheThresholdWaitsForAManagerAndIsThenSentOnce() async throws {
        let cli = try CLIRunner()
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let jobber = try await ConnectedJobber.start(connecting: ledger)
        let stripe = StripeSimulator()
        let stripeServer = try await stripe.start()
        let sink = try SMTPSink()
        defer { sink.stop() }
        let config = cli.home.appendingPathComponent("posplus.toml").path
        try "[approvals]\nlink_over = \"1000.00\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let environment = [
            "POSPLUS_LEDGER_PATH": cli.ledgerPath, "POSPLUS_STAFF_BCRYPT_COST": "4", "POSPLUS_BUSINESS_NAME": "Maple & Pine",
            "POSPLUS_STRIPE_BASE_URL": stripeServer.baseURL, "POSPLUS_STRIPE_SECRET_KEY": "sk_test_e2e", "POSPLUS_SMTP_URL": sink.url,
            "POSPLUS_SMTP_FROM": "billing@maplepine.example", "POSPLUS_SMTP_REQUIRE_TLS": "false",
        ].merging(jobber.environment) { $1 }
        func posplus(_ arguments: [String], input: String? = nil) async throws -> CLIRunner.Result {
            try await onOwnThread { try cli.run(arguments + ["--config", config], environment: environment, input: input) }
        }
        for (name, role) in [("max", "manager"), ("tess", "technician")] {
            let added = try await posplus(["staff", "add", name, "--role", role, "--password-stdin"], input: "correct horse\n")
            #expect(added.status == 0, "\(added.stderr)")
        }
        let send = ["link", "send", "--invoice", "1043", "--email", "ada@example.com", "--key", "big", "--operator", "tess"]

        let asked = try await posplus(send)
        #expect(asked.status == 3, "\(asked.stdout) \(asked.stderr)")
        #expect(
            asked.stdout.contains(
                "Waiting for a manager: approval 1 — payment link for $1,234.56 on invoice #1043, emailed to ada@example.com"),
            "\(asked.stdout)")
        #expect(asked.stdout.contains("Why: a payment link of $1,234.56 is over the $1,000.00 that needs a manager"))
        #expect(try ledger.links().isEmpty && sink.messages.isEmpty && stripe.paymentLinkCount == 0, "nothing was sent")
        #expect(try await posplus(["approvals", "list"]).stdout.contains("#1  waiting   payment link for $1,234.56"))

        let own = try await posplus(["approvals", "approve", "1", "--operator", "tess"])
        #expect(own.status != 0 && own.stderr.contains("tess is technician; only a manager or owner approves."), "\(own.stderr)")

        let approved = try await posplus(["approvals", "approve", "1", "--operator", "max"])
        #expect(approved.status == 0, "\(approved.stdout) \(approved.stderr)")
        #expect(approved.stdout.contains("Approval 1 approved by max"), "\(approved.stdout)")
        #expect(approved.stdout.contains("Link 1 for invoice #1043, $1,234.56: http"), "\(approved.stdout)")
        #expect(approved.stdout.contains("Emailed to ada@example.com."), "\(approved.stdout)")
        #expect(sink.messages.count == 1 && sink.messages.first?.contains("$1,234.56") == true)
        #expect(try ledger.link(id: 1)?.sentBy == "tess")

        let again = try await posplus(["approvals", "approve", "1", "--operator", "max"])
        #expect(again.status == 0 && again.stdout.contains("Link 1 for invoice #1043"), "\(again.stdout) \(again.stderr)")
        let retried = try await posplus(send)
        #expect(retried.status == 0 && retried.stdout.contains("Link 1 for invoice #1043"), "\(retried.stdout) \(retried.stderr)")
        #expect(try ledger.links().count == 1 && sink.messages.count == 1 && stripe.paymentLinkCount == 1)
        #expect(try await posplus(["approvals", "show", "1"]).stdout.contains("Link:      1 (posplus link show 1)"))
        await stripeServer.stop()
        await jobber.stop()
    }
}

import Foundation
import JobberSimulator
import Ledger
import PAXSimulator
import TestSupport
import Testing

/// What ``PosPlusApp`` builds lazily, seen from the real CLI: a reversal, a card save and
/// recovery never need Jobber's settings; a charge without them names what is missing. And
/// `posplus serve` as one group of services that stops cleanly on SIGTERM and SIGINT.
@Suite("posplus without Jobber, and serve's shutdown", .timeLimit(.minutes(2)))
struct ServeAndReversalCLITests {
    @Test func refundsVoidsCardSavesAndRecoveryNeedNoJobberSettings() async throws {
        let cli = try CLIRunner()
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let jobber = try await ConnectedJobber.start(connecting: ledger)
        let terminal = PAXSimulator()
        defer { terminal.stop() }
        let config = cli.home.appendingPathComponent("posplus.toml").path
        try """
        [terminals.front-desk]
        driver = "pax"
        connection = "tcp"
        host = "127.0.0.1"
        port = \(try terminal.startTCP())
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let withJobber = ["POSPLUS_LEDGER_PATH": cli.ledgerPath].merging(jobber.environment) { $1 }
        let withoutJobber = ["POSPLUS_LEDGER_PATH": cli.ledgerPath]
        func posplus(_ arguments: [String], _ environment: [String: String]) async throws -> CLIRunner.Result {
            try await onOwnThread { try cli.run(arguments + ["--config", config], environment: environment) }
        }
        for (invoice, key) in [("1043", "desk-1"), ("1044", "desk-2")] {
            let charged = try await posplus(["charge", "front-desk", "--invoice", invoice, "--key", key], withJobber)
            #expect(charged.status == 0, "\(charged.stderr)")
        }
        await jobber.stop()  // from here on nothing may reach Jobber, and nothing names it

        let refund = try await posplus(["refund", "1", "--amount", "234.56", "--key", "refund-1"], withoutJobber)
        #expect(refund.status == 0, "\(refund.stderr)")
        #expect(refund.stdout.contains("Payment 1 is now partiallyRefunded."), "\(refund.stdout)")
        let void = try await posplus(["void", "2", "--key", "void-2"], withoutJobber)
        #expect(void.status == 0, "\(void.stderr)")
        #expect(void.stdout.contains("Payment 2 is now voided."), "\(void.stdout)")
        let saved = try await posplus(["card", "save", "front-desk", "--client", Seed.IDs.ada.value, "--key", "card-1"], withoutJobber)
        #expect(saved.status == 0 && saved.stdout.contains("Card 1 saved"), "\(saved.stdout) \(saved.stderr)")
        let recovered = try await posplus(["recover"], withoutJobber)
        #expect(recovered.status == 0 && recovered.stdout.contains("No payments in doubt."), "\(recovered.stderr)")

        let charge = try await posplus(["charge", "front-desk", "--invoice", "1060"], withoutJobber)
        #expect(charge.status != 0)
        #expect(
            charge.stderr.contains(
                "A charge is checked against the Jobber invoice first, but jobber.client_id and jobber.client_secret are not set"),
            "\(charge.stderr)")
        #expect(terminal.terminal.log.count == 5, "two sales, a refund, a void and a card save; the refused charge never reached it")
        #expect(try ledger.verifyAuditChain().isIntact)
    }

    @Test(arguments: [SIGTERM, SIGINT]) func serveStopsCleanlyOnASignal(_ signal: Int32) async throws {
        let cli = try CLIRunner()
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["serve", "--port", "0", "--ledger", cli.ledgerPath]
        // Both webhook inboxes configured, so webhook processing runs beside the outbox and recovery.
        process.environment = [
            "HOME": cli.home.path, "PATH": "/usr/bin:/bin", "POSPLUS_JOBBER_CLIENT_SECRET": "jobber-secret",
            "POSPLUS_STRIPE_WEBHOOK_SECRET": "whsec_test",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let serving = try await onOwnThread { () -> String? in
            var lines = LineReader(handle: out.fileHandleForReading)
            while let line = lines.next() { if line.hasPrefix("posplus serving on") { return line } }
            return nil
        }
        #expect(serving != nil, "serve never said where it listens")

        let sent = ContinuousClock.now
        kill(process.processIdentifier, signal)
        try await onOwnThread { process.waitUntilExit() }
        #expect(ContinuousClock.now - sent < .seconds(10), "stopped promptly")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}

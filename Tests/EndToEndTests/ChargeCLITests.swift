import Foundation
import JobberSimulator
import Ledger
import PAXSimulator
import TestSupport
import Testing

/// `posplus charge` and `posplus recover` as real processes: the Jobber simulator (connected
/// through OAuth) and a PAX simulator on TCP, configured as the terminal `front-desk`.
@Suite("posplus charge and recover", .timeLimit(.minutes(2)))
struct ChargeCLITests {
    @Test func aChargeIsMadeOnceAndALostAnswerIsRecovered() async throws {
        let cli = try CLIRunner()
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let jobber = try await ConnectedJobber.start(connecting: ledger)
        let terminal = PAXSimulator()
        let silent = PAXSimulator()  // will swallow one answer; waits 1 s for it, not a minute
        defer {
            terminal.stop()
            silent.stop()
        }
        let config = cli.home.appendingPathComponent("posplus.toml").path
        try """
        [terminals.front-desk]
        driver = "pax"
        connection = "tcp"
        host = "127.0.0.1"
        port = \(try terminal.startTCP())

        [terminals.back-office]
        driver = "pax"
        connection = "tcp"
        host = "127.0.0.1"
        port = \(try silent.startTCP())
        response_timeout_s = 1
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["POSPLUS_LEDGER_PATH": cli.ledgerPath].merging(jobber.environment) { $1 }
        // The CLI talks to servers in this process: run it off the cooperative threads.
        func posplus(_ arguments: [String]) async throws -> CLIRunner.Result {
            try await onOwnThread { try cli.run(arguments + ["--config", config], environment: environment) }
        }

        let charged = try await posplus(["charge", "front-desk", "--invoice", "1043", "--key", "desk-1", "--operator", "ada"])
        #expect(charged.status == 0, "\(charged.stderr)")
        #expect(charged.stdout.contains("Payment 1: sale $1,234.56 — approved"))
        #expect(charged.stdout.contains("invoice #1043"))
        let again = try await posplus(["charge", "front-desk", "--invoice", "1043", "--key", "desk-1"])
        #expect(again.stdout.contains("Payment 1: sale $1,234.56 — approved"))
        #expect(terminal.terminal.log.count == 1, "the retry never reached the terminal")

        silent.inject(.ackThenSilence)
        let lost = try await posplus(["charge", "back-office", "--invoice", "1044", "--key", "desk-2"])
        #expect(lost.stdout.contains("Payment 2: sale $89.99 — unknown"))
        #expect(lost.stdout.contains("posplus recover"))
        let recovered = try await posplus(["recover"])
        #expect(recovered.stdout.contains("Payment 2: approved"), "\(recovered.stdout) \(recovered.stderr)")
        #expect(try await posplus(["recover"]).stdout.contains("No payments in doubt."))
        #expect(terminal.terminal.log.count == 1 && silent.terminal.log.count == 1, "looked up, never charged twice")

        let refund = try await posplus(["refund", "1", "--amount", "234.56", "--key", "refund-1"])
        #expect(refund.status == 0, "\(refund.stderr)")
        #expect(refund.stdout.contains("Refunding payment 1 on front-desk"))
        #expect(refund.stdout.contains("Payment 3: refund $234.56 — approved"))
        #expect(refund.stdout.contains("Payment 1 is now partiallyRefunded."))
        let void = try await posplus(["void", "2", "--key", "void-2"])
        #expect(void.stdout.contains("Payment 2 is now voided."), "\(void.stdout) \(void.stderr)")
        let tooMuch = try await posplus(["refund", "1", "--amount", "1000.01"])
        #expect(tooMuch.status != 0 && tooMuch.stderr.contains("1,000.01"), "\(tooMuch.stderr)")

        let saved = try await posplus(["card", "save", "front-desk", "--client", Seed.IDs.ada.value, "--key", "card-1"])
        #expect(saved.stdout.contains("Card 1 saved for client \(Seed.IDs.ada.value): VISA •••• 1111, expires 12/2030."), "\(saved.stderr)")
        #expect(try await posplus(["card", "list", "--client", Seed.IDs.ada.value]).stdout.contains("VISA •••• 1111  12/2030  front-desk"))
        let onFile = try await posplus(["charge", "front-desk", "--invoice", "1044", "--card", "1", "--key", "on-file"])
        #expect(onFile.stdout.contains("Payment 6: tokenSale $89.99 — approved"), "\(onFile.stdout) \(onFile.stderr)")
        let notTheirs = try await posplus(["charge", "front-desk", "--invoice", "1060", "--card", "1"])
        #expect(notTheirs.status != 0 && notTheirs.stderr.contains("belongs to another client"))

        let draft = try await posplus(["charge", "front-desk", "--invoice", "1041"])
        #expect(draft.status != 0 && draft.stderr.contains("Invoice #1041 is still a draft in Jobber"))
        let several = try await posplus(["charge", "front-desk", "--client", Seed.IDs.ada.value])
        #expect(several.status != 0 && several.stderr.contains("Ada Lovelace") && several.stderr.contains("#1043"), "\(several.stderr)")
        let undeclared = try await posplus(["charge", "front-desk", "--invoice", "1060", "--partial"])
        #expect(undeclared.status != 0 && undeclared.stderr.contains("--partial and --deposit need --amount."))
        #expect(try ledger.payments().count == 6)

        let closed = try await posplus(["terminals", "close-batch", "front-desk"])
        #expect(closed.status == 0, "\(closed.stdout) \(closed.stderr)")
        #expect(closed.stdout.contains("terminal: 3 payments, $1,089.99"))  // 1,234.56 − 234.56 refunded + 89.99 on file
        #expect(closed.stdout.contains("They match to the cent."))
        #expect(try ledger.payment(id: 1)?.state == .settled)

        let deposit = try await posplus(["charge", "front-desk", "--quote", Seed.IDs.quote(78).value, "--amount", "100.00"])
        #expect(deposit.stdout.contains("Payment 7: deposit $100.00 — approved"), "\(deposit.stdout) \(deposit.stderr)")
        let mixed = try await posplus(["charge", "front-desk", "--quote", Seed.IDs.quote(78).value, "--keyed"])
        #expect(mixed.status != 0 && mixed.stderr.contains("give only --amount with --quote"))
        #expect(try ledger.verifyAuditChain().isIntact)
        await jobber.stop()
    }
}

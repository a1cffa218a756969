import Foundation
import Ledger
import PAXSimulator
import TestSupport
import Testing

/// `posplus receipt show|send` as real processes, after a real `posplus charge` on the PAX
/// simulator against the Jobber simulator's invoice #1044; the email goes to aiosmtpd.
@Suite("posplus receipt", .timeLimit(.minutes(2)))
struct ReceiptCLITests {
    @Test func aReceiptIsShownAsTextAndHTMLAndEmailed() async throws {
        let cli = try CLIRunner()
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let jobber = try await ConnectedJobber.start(connecting: ledger)
        let terminal = PAXSimulator()
        let sink = try SMTPSink()
        defer {
            terminal.stop()
            sink.stop()
        }
        let config = cli.home.appendingPathComponent("posplus.toml").path
        try """
        [business]
        name = "Maple & Pine"
        address = "12 Birch Road"
        phone = "+1 555 555 0100"

        [terminals.front-desk]
        driver = "pax"
        connection = "tcp"
        host = "127.0.0.1"
        port = \(try terminal.startTCP())
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = [
            "POSPLUS_LEDGER_PATH": cli.ledgerPath, "POSPLUS_SMTP_URL": sink.url, "POSPLUS_SMTP_FROM": "billing@maplepine.example",
            "POSPLUS_SMTP_REQUIRE_TLS": "false",
        ].merging(jobber.environment) { $1 }
        func posplus(_ arguments: [String]) async throws -> CLIRunner.Result {
            try await onOwnThread { try cli.run(arguments + ["--config", config], environment: environment) }
        }

        let charged = try await posplus(["charge", "front-desk", "--invoice", "1044", "--key", "desk-1", "--operator", "fred"])
        #expect(charged.status == 0, "\(charged.stderr)")
        let shown = try await posplus(["receipt", "show", "1"])
        #expect(shown.status == 0, "\(shown.stderr)")
        for expected in [
            "Maple & Pine", "12 Birch Road", "Invoice #1044", "Smart thermostat", "$10.00", "$89.99", "VISA •••• 1111", "A0000000031010",
        ] {
            #expect(shown.stdout.contains(expected), "\(expected) in \(shown.stdout)")
        }
        let html = try await posplus(["receipt", "show", "1", "--html"])
        #expect(html.stdout.hasPrefix("<!doctype html>") && html.stdout.contains("Maple &amp; Pine"))

        let sent = try await posplus(["receipt", "send", "1", "--email", "front@maplepine.example"])
        #expect(
            sent.status == 0 && sent.stdout.contains("Receipt of payment 1 sent to front@maplepine.example."),
            "\(sent.stdout) \(sent.stderr)")
        #expect(sink.messages.count == 1 && sink.messages.first?.contains("To: front@maplepine.example") == true)
        let preferred = try await posplus(["receipt", "send", "1"])
        #expect(preferred.stdout.contains("sent to the client"), "\(preferred.stdout) \(preferred.stderr)")
        #expect(sink.messages.last?.contains("To: ada@example.com") == true)

        #expect(try await posplus(["receipt", "pending"]).stdout.contains("No receipts waiting to be sent."))
        let bad = try await posplus(["receipt", "send", "1", "--sms", "not a phone"])
        #expect(bad.status != 0 && bad.stderr.contains("is not a phone number"))
        let none = try await posplus(["receipt", "show", "99"])
        #expect(none.status != 0 && none.stderr.contains("No payment 99"), "\(none.stderr)")
        await jobber.stop()
    }
}

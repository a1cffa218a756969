import Foundation
import GRDB
import Ledger
import PosPlusCore
import TestSupport
import Testing

@Suite("posplus CLI, run as a real process")
struct CLITests {
    @Test func helpListsTheCommands() throws {
        let result = try CLIRunner().run(["--help"])
        #expect(result.status == 0)
        for command in ["payments", "audit", "config", "version"] { #expect(result.stdout.contains("  \(command) ")) }
        let payments = try CLIRunner().run(["payments", "--help"])
        #expect(payments.stdout.contains("list") && payments.stdout.contains("show"))
    }

    @Test func versionPrintsTheRelease() throws {
        let result = try CLIRunner().run(["version"])
        #expect(result.stdout == "posplus 0.1.0\n")
    }

    /// Writes two payments (one with an attempt and a masked card) through the ledger API.
    func seed(_ path: String) throws -> Ledger {
        let ledger = try Ledger.open(at: path, key: .forTests)
        let usd = { (minor: Int64) in Money(minorUnits: minor, currency: .usd) }
        let sale = PaymentRequest(
            operation: .sale, amount: usd(46_000), invoiceID: "inv-1042", invoiceNumber: "1042", channel: "front-desk")
        let payment = try ledger.begin(sale, idempotencyKey: IdempotencyKey("desk-1"), operator: "ada").payment
        let attempt = try ledger.startAttempt(paymentID: payment.id, reference: PaymentReference("P00000000000CLI1"), actor: "ada")
        try ledger.finishAttempt(
            attempt.id,
            with: .approved(AttemptDetails(captured: usd(46_000), authCode: "123456", card: MaskedCard(brand: "VISA", last4: "4242"))),
            actor: "ada")
        _ = try ledger.begin(
            PaymentRequest(operation: .deposit, amount: usd(5_000), intent: .deposit, quoteID: "q-7", channel: "front-desk"),
            idempotencyKey: IdempotencyKey("desk-2"), operator: "bob")
        return ledger
    }

    @Test func paymentsListShowsATableAndExactJSON() throws {
        let cli = try CLIRunner()
        _ = try seed(cli.ledgerPath)
        let table = try cli.run(["payments", "list", "--ledger", cli.ledgerPath])
        #expect(table.status == 0)
        #expect(table.stdout.contains("$460.00") && table.stdout.contains("VISA •••• 4242") && table.stdout.contains("#1042"))

        let json = try cli.run(["payments", "list", "--json", "--ledger", cli.ledgerPath])
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        let first = try #require(decoded?.last)
        let requested = first["requested"] as? [String: Any]
        #expect(requested?["minorUnits"] as? Int == 46_000)
        #expect(requested?["text"] as? String == "$460.00")
        #expect(first["state"] as? String == "approved")

        let unknownOnly = try cli.run(["payments", "list", "--state", "intended", "--json", "--ledger", cli.ledgerPath])
        #expect((try JSONSerialization.jsonObject(with: Data(unknownOnly.stdout.utf8)) as? [Any])?.count == 1)
    }

    @Test func paymentsShowFindsByIdReferenceOrKey() throws {
        let cli = try CLIRunner()
        _ = try seed(cli.ledgerPath)
        for identifier in ["1", "P00000000000CLI1", "desk-1"] {
            let result = try cli.run(["payments", "show", identifier, "--ledger", cli.ledgerPath])
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("Payment 1: sale $460.00 — approved"))
            #expect(result.stdout.contains("attempt 1 ref P00000000000CLI1: approved"))
            #expect(result.stdout.contains("attempt.finish"))
        }
        let missing = try cli.run(["payments", "show", "nope", "--ledger", cli.ledgerPath])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("No payment \"nope\" in the ledger"))
    }

    @Test func auditVerifyPassesThenFailsAfterAHandEdit() throws {
        let cli = try CLIRunner()
        _ = try seed(cli.ledgerPath)
        let intact = try cli.run(["audit", "verify", "--ledger", cli.ledgerPath])
        #expect(intact.status == 0)
        #expect(intact.stdout.contains("Audit log intact: 4 events"))

        // Someone opens the file with a SQL tool, drops the guard trigger and edits an amount.
        let raw = try DatabaseQueue(path: cli.ledgerPath)
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER auditEventNoUpdate")
            try db.execute(sql: "UPDATE auditEvent SET detail = replace(detail, '46000', '4600') WHERE seq = 1")
        }
        try raw.close()
        let broken = try cli.run(["audit", "verify", "--ledger", cli.ledgerPath])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("Audit log broken at event 1: event 1 was changed after it was written."))
    }

    @Test func configShowNamesEverySource() throws {
        let cli = try CLIRunner()
        let file = cli.home.appendingPathComponent("posplus.toml").path
        try "[business]\nname = \"Acme Plumbing\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try cli.run(["config", "show", "--config", file], environment: ["POSPLUS_CHARGES_MAXIMUM": "900.00"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("business.name ") && $0.hasSuffix("Acme Plumbing  [\(file)]") })
        #expect(lines.contains { $0.hasPrefix("charges.maximum ") && $0.hasSuffix("900.00  [$POSPLUS_CHARGES_MAXIMUM]") })
    }

    @Test func badInputGetsAClearErrorAndANonZeroExit() throws {
        let cli = try CLIRunner()
        let file = cli.home.appendingPathComponent("bad.toml").path
        try "[charges]\nmaximum = 12.5\n".write(toFile: file, atomically: true, encoding: .utf8)
        let badConfig = try cli.run(["payments", "list", "--config", file])
        #expect(badConfig.status != 0)
        #expect(badConfig.stderr.contains("\"charges.maximum\": write the amount in quotes"))

        let badLimit = try cli.run(["payments", "list", "--limit", "0", "--ledger", cli.ledgerPath])
        #expect(badLimit.status != 0)
        #expect(badLimit.stderr.contains("--limit must be between 1 and 100000, not 0."))

        let badState = try cli.run(["payments", "list", "--state", "maybe", "--ledger", cli.ledgerPath])
        #expect(badState.status != 0)
        #expect(badState.stderr.contains("maybe"))

        let unknown = try cli.run(["refund-everything"])
        #expect(unknown.status != 0)
    }
}

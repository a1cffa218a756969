import Foundation
import GRDB
import Ledger
import TestSupport
import Testing

/// The ledger key as a user meets it: created on first use in the config folder, the audit head
/// printed by verify, and `posplus ledger rotate-key`.
@Suite("posplus CLI: the ledger key")
struct LedgerKeyCLITests {
    /// No $POSPLUS_LEDGER_KEY: the child uses (and creates) the key file in its scratch home.
    static let ownKey = [LedgerKey.environmentName: ""]

    @Test func verifyCreatesTheKeyFileOwnerOnlyAndPrintsTheHead() throws {
        let cli = try CLIRunner()
        let first = try cli.run(["audit", "verify", "--ledger", cli.ledgerPath], environment: Self.ownKey)
        #expect(first.status == 0, "\(first.stderr)")
        let keyFile = cli.home.appendingPathComponent(".config/posplus/ledger.key").path
        let mode = (try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)

        let key = try LedgerKey.resolve(environment: ["HOME": cli.home.path])
        try Ledger.open(at: cli.ledgerPath, key: key).recordAuditEvent(kind: "operator.note", actor: "ada", detail: [:])
        let verified = try cli.run(["audit", "verify", "--ledger", cli.ledgerPath], environment: Self.ownKey)
        let head = try Ledger.open(at: cli.ledgerPath, key: key).auditChainHead()
        #expect(verified.stdout.contains("Audit log intact: 1 events"))
        #expect(verified.stdout.contains("Audit head: 1:\(head.mac)"))
        let checked = try cli.run(["audit", "verify", "--head", head.description, "--ledger", cli.ledgerPath], environment: Self.ownKey)
        #expect(checked.status == 0)
        let wrongHead = try cli.run(
            ["audit", "verify", "--head", "1:" + String(repeating: "a", count: 64), "--ledger", cli.ledgerPath], environment: Self.ownKey)
        #expect(wrongHead.status == 1 && wrongHead.stdout.contains("not the one the head kept elsewhere names"))

        // Another machine's key (a copy of the ledger elsewhere) cannot vouch for this log.
        let other = try cli.run(["audit", "verify", "--ledger", cli.ledgerPath])
        #expect(other.status == 1 && other.stdout.contains("the ledger's key is missing or different"))
    }

    @Test func rotateKeyReplacesTheKeyFileAndTheLogStillVerifies() throws {
        let cli = try CLIRunner()
        let old = try LedgerKey.resolve(environment: ["HOME": cli.home.path])
        try Ledger.open(at: cli.ledgerPath, key: old).recordAuditEvent(kind: "operator.note", actor: "ada", detail: [:])
        let rotated = try cli.run(["ledger", "rotate-key", "--operator", "ada", "--ledger", cli.ledgerPath], environment: Self.ownKey)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.contains("Rotated the ledger key") && rotated.stdout.contains("Audit head: 2:"))
        let new = try LedgerKey.resolve(environment: ["HOME": cli.home.path])
        #expect(new.check != old.check)
        let verified = try cli.run(["audit", "verify", "--ledger", cli.ledgerPath], environment: Self.ownKey)
        #expect(verified.status == 0 && verified.stdout.contains("Audit log intact: 2 events"))
    }
}

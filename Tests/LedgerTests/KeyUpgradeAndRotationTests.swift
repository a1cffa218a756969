import Foundation
import GRDB
import PosPlusCore
import TestSupport
import Testing

@testable import Ledger

/// A ledger from before the ledger key is upgraded once (tokens sealed, chain re-keyed, its old
/// state recorded), and a key can be rotated without losing tokens or the chain.
@Suite("Ledger: upgrading to the key, and rotating it")
struct KeyUpgradeAndRotationTests {
    let folder: URL
    let path: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("ledger/ledger.sqlite").path
    }

    /// A ledger as the release before keying left it: plaintext tokens and an unkeyed chain of
    /// three events, the second one edited afterwards when `tampered`.
    func writeOldLedger(tampered: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try LedgerMigrations.migrator(key: .forTests).migrate(queue, upTo: "2026-12 webhook retries")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO jobberConnection (accountID, accessToken, refreshToken, accessExpiresAt, connectedAt)
                    VALUES ('acct-1', 'old-access-PLAIN', 'old-refresh-PLAIN', '2026-12-01 00:00:00', '2026-12-01 00:00:00')
                    """)
            var previous = AuditChain.genesisHash
            for seq in Int64(1)...3 {
                var event = AuditEventRecord(
                    seq: seq, atMillis: 1_000 * seq, kind: "operator.note", paymentID: nil, actor: "ada", detail: "{}",
                    previousHash: previous, hash: "")
                event.hash = AuditChain.legacyHash(of: event)
                try event.insert(db)
                previous = event.hash
            }
            try db.execute(sql: "INSERT INTO auditHead (id, seq, hash) VALUES (1, 3, ?)", arguments: [previous])
            if tampered {
                try db.execute(sql: "DROP TRIGGER auditEventNoUpdate")
                try db.execute(sql: "UPDATE auditEvent SET actor = 'mallory' WHERE seq = 2")
            }
        }
        try queue.close()
    }

    @Test func anOldLedgerIsSealedAndReKeyedOnceAndItsFilesNoLongerHoldTheTokens() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeOldLedger()
        let ledger = try Ledger.open(at: path, key: .forTests)
        #expect(try ledger.jobberConnection()?.refreshToken.expose() == "old-refresh-PLAIN")
        #expect(try ledger.verifyAuditChain() == .intact(events: 4))
        let keyed = try #require(try ledger.auditEvents().last)
        #expect(keyed.kind == "audit.keyed" && keyed.detail == #"{"legacyEvents":3}"#)
        let raw = ["", "-wal"].reduce(into: Data()) { $0 += FileManager.default.contents(atPath: path + $1) ?? Data() }
        #expect(raw.range(of: Data("PLAIN".utf8)) == nil)
        // Opening again changes nothing.
        #expect(try Ledger.open(at: path, key: .forTests).verifyAuditChain() == .intact(events: 4))
    }

    @Test func aBreakInTheOldChainIsStillReportedAfterTheUpgrade() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeOldLedger(tampered: true)
        let ledger = try Ledger.open(at: path, key: .forTests)
        #expect(
            try ledger.verifyAuditChain()
                == .broken(seq: 2, reason: "before the log was keyed, event 2 had been changed after it was written"))
    }

    @Test func rotatingTheKeyReSealsTheTokensAndReKeysTheChain() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["XDG_CONFIG_HOME": folder.appendingPathComponent("config").path]
        let old = try LedgerKey.resolve(environment: environment)
        let ledger = try Ledger.open(at: path, key: old)
        try ledger.saveJobberConnection(
            JobberConnection(
                accountID: "acct-1", accountName: nil, accessToken: Secret("a"), refreshToken: Secret("r"), accessExpiresAt: Date(),
                connectedAt: Date()),
            actor: "ada")
        try ledger.recordAuditEvent(kind: "operator.note", actor: "ada", detail: [:])

        let rotation = try Ledger.rotateKey(ledgerAt: path, environment: environment, actor: "ada")
        let new = try LedgerKey.resolve(environment: environment)
        #expect(new.check != old.check && !rotation.finishedInterrupted)
        #expect(!FileManager.default.fileExists(atPath: rotation.keyFile + ".next"))
        let reopened = try Ledger.open(at: path, key: new)
        #expect(try reopened.jobberConnection()?.refreshToken.expose() == "r")
        #expect(try reopened.verifyAuditChain(expectedHead: rotation.head) == .intact(events: 3))
        #expect(throws: LedgerError.secretUnreadable("the Jobber tokens")) { try Ledger.open(at: path, key: old).jobberConnection() }
    }

    @Test func aRotationCutShortIsFinishedByTheNextOne() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["XDG_CONFIG_HOME": folder.appendingPathComponent("config").path]
        let old = try LedgerKey.resolve(environment: environment)
        let keyFile = LedgerKey.defaultFilePath(environment: environment)
        // The ledger committed under the new key; the process died before renaming the file.
        let next = LedgerKey.generate()
        try Data((next.base64 + "\n").utf8).write(to: URL(fileURLWithPath: keyFile + ".next"))
        chmod(keyFile + ".next", 0o600)
        _ = try Ledger.open(at: path, key: old).reseal(with: next, actor: "ada")

        let rotation = try Ledger.rotateKey(ledgerAt: path, environment: environment, actor: "ada")
        #expect(rotation.finishedInterrupted)
        #expect(try LedgerKey.resolve(environment: environment).check == next.check)
        #expect(try Ledger.open(at: path, key: next).verifyAuditChain().isIntact)
    }

    @Test func aKeyFromTheEnvironmentIsNotRotatedHere() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: LedgerError.self) {
            try Ledger.rotateKey(ledgerAt: path, environment: ["POSPLUS_LEDGER_KEY": LedgerKey.forTests.base64], actor: "ada")
        }
    }
}

import Foundation
import Ledger
import TestSupport
import Testing

/// Where the ledger key comes from: a 0600 file created once, or the environment, or systemd
/// credentials; each mistake is a sentence.
@Suite("Ledger: the ledger key")
struct LedgerKeyTests {
    /// A scratch config home, so nothing lands in the real one.
    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theKeyFileIsCreatedOnceOwnerOnlyAndReadBack() throws {
        let home = try scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.path]
        let first = try LedgerKey.resolve(environment: environment)
        let path = home.appendingPathComponent("posplus/ledger.key").path
        #expect(first.source == .file(path: path))
        #expect(try mode(path) == 0o600)
        #expect(try LedgerKey.resolve(environment: environment).check == first.check)
        // A key file someone made readable to others is narrowed again before use.
        chmod(path, 0o644)
        #expect(try LedgerKey.resolve(environment: environment).check == first.check)
        #expect(try mode(path) == 0o600)
    }

    @Test func aKeyFromTheEnvironmentIsUsedAndNoFileIsWritten() throws {
        let home = try scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        let key = LedgerKey.generate()
        let resolved = try LedgerKey.resolve(environment: ["XDG_CONFIG_HOME": home.path, "POSPLUS_LEDGER_KEY": key.base64])
        #expect(resolved.check == key.check && resolved.source == .environment)
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("posplus/ledger.key").path))
        #expect(throws: LedgerKeyError.notBase64(source: "$POSPLUS_LEDGER_KEY")) {
            try LedgerKey.resolve(environment: ["POSPLUS_LEDGER_KEY": "not base64!"])
        }
        #expect(throws: LedgerKeyError.wrongLength(source: "$POSPLUS_LEDGER_KEY", count: 3)) {
            try LedgerKey.resolve(environment: ["POSPLUS_LEDGER_KEY": "YWJj"])
        }
    }

    @Test func aSystemdCredentialIsUsed() throws {
        let credentials = try scratch()
        defer { try? FileManager.default.removeItem(at: credentials) }
        let key = LedgerKey.generate()
        let path = credentials.appendingPathComponent("posplus-ledger-key").path
        try Data((key.base64 + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let resolved = try LedgerKey.resolve(environment: ["CREDENTIALS_DIRECTORY": credentials.path, "HOME": credentials.path])
        #expect(resolved.check == key.check && resolved.source == .credentials(path: path))
    }

    @Test func aLedgerOpenedWithAnEnvironmentKeyIsReadableWithThatKeyOnly() throws {
        let home = try scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        let key = LedgerKey.generate()
        let path = home.appendingPathComponent("ledger/ledger.sqlite").path
        let ledger = try Ledger.open(at: path, key: try LedgerKey.resolve(environment: ["POSPLUS_LEDGER_KEY": key.base64]))
        #expect(try ledger.isWritten(with: key))
        #expect(try !ledger.isWritten(with: .forTests))
    }
}

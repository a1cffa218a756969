import Foundation
import Ledger
import TestSupport
import Testing

/// The ledger's files on a real disk: who may read them, and what a wrong path says.
@Suite("Ledger files: owner-only modes and clear errors")
struct LedgerFilesTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func expectOwnerOnly(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        #expect(try mode(folder) == 0o700, "\(folder)")
        for suffix in ["", "-wal", "-shm"] {
            #expect(try mode(path + suffix) == 0o600, "\(path + suffix)")
        }
    }

    func openingFails(_ path: String) -> String {
        do {
            _ = try Ledger.open(at: path, key: .forTests)
            return "opened"
        } catch {
            return "\(error)"
        }
    }

    /// Once: the database 0600, but its -wal and -shm 0644 (SQLite gives them the database's
    /// mode, which was narrowed only after they existed).
    @Test func aNewLedgerAndItsWALFilesAreOwnerOnly() throws {
        let path = root.appendingPathComponent("a/b/ledger.sqlite").path
        let ledger = try Ledger.open(at: path, key: .forTests)
        #expect(FileManager.default.fileExists(atPath: path + "-wal") && FileManager.default.fileExists(atPath: path + "-shm"))
        try expectOwnerOnly(path)
        #expect(try mode(root.appendingPathComponent("a").path) == 0o700)
        _ = ledger
    }

    /// Once left 0755 as found.
    @Test func anExistingFolderOpenToOthersIsMadePrivate() throws {
        let folder = root.appendingPathComponent("shared").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        let ledger = try Ledger.open(at: folder + "/ledger.sqlite", key: .forTests)
        try expectOwnerOnly(folder + "/ledger.sqlite")
        _ = ledger
    }

    @Test func filesLeftWiderByAnOlderVersionAreNarrowed() throws {
        let path = root.appendingPathComponent("ledger.sqlite").path
        let first = try Ledger.open(at: path, key: .forTests)
        for suffix in ["", "-wal", "-shm"] { chmod(path + suffix, 0o644) }
        let second = try Ledger.open(at: path, key: .forTests)
        try expectOwnerOnly(path)
        _ = (first, second)
    }

    @Test func aFolderAnyoneMayWriteToIsRefused() throws {
        let folder = root.appendingPathComponent("public").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        chmod(folder, 0o1777)
        let message = openingFails(folder + "/ledger.sqlite")
        #expect(
            message.contains(
                "Cannot open the ledger at \(folder)/ledger.sqlite: its folder \(folder) (mode 1777) is open to other users and is not the ledger's alone"
            ))
        #expect(message.contains("set ledger.path (or --ledger) to a file in a folder of its own"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/ledger.sqlite"))
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give a folder to another user"))
    func aFolderOfAnotherUserIsRefusedNotChanged() throws {
        let folder = root.appendingPathComponent("theirs").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        try #require(chown(folder, 65_534, 65_534) == 0)
        #expect(openingFails(folder + "/ledger.sqlite").contains("(mode 755) is open to other users and is not the ledger's alone"))
        #expect(try mode(folder) == 0o755)
    }

    /// A ledger path of /ledger.sqlite, run as root, once made / itself 0700: a folder that
    /// holds anything but the ledger's files is refused and left as it was.
    @Test func aFolderHoldingOtherFilesIsRefusedNotChanged() throws {
        let folder = root.appendingPathComponent("home").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        try "other".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        let message = openingFails(folder + "/ledger.sqlite")
        #expect(message.contains("its folder \(folder) (mode 755) is open to other users and is not the ledger's alone"))
        #expect(message.contains("or run `chmod 700 \(folder)`"))
        #expect(try mode(folder) == 0o755)
        #expect(!FileManager.default.fileExists(atPath: folder + "/ledger.sqlite"))
    }

    @Test func wrongPathsGetSentencesNotFoundationErrors() throws {
        let file = root.appendingPathComponent("notes.txt").path
        try "a file".write(toFile: file, atomically: true, encoding: .utf8)
        let underFile = openingFails(file + "/sub/ledger.sqlite")
        #expect(underFile.contains("\(file) is a file, not a folder, so the folder \(file)/sub cannot be created"))
        #expect(openingFails(file + "/ledger.sqlite").contains("\(file) is a file, not a folder; set ledger.path"))
        #expect(openingFails(root.path).contains("it is a folder; set ledger.path (or --ledger) to a file"))
        #expect(openingFails(file).contains("it is not a posplus ledger"))
        #expect(openingFails("/dev/null").contains("it is not a regular file"))
        for message in [underFile, openingFails(root.path)] {
            #expect(!message.contains("Domain") && !message.contains("NSError"))
        }
    }
}

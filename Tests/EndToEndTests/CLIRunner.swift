import Foundation
import Ledger
import TestSupport

/// Runs the built `posplus` binary as a user would, in a scratch HOME so nothing of the
/// machine's own configuration or ledger is touched.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let home: URL

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// In a folder of its own, as posplus wants it: a folder that holds other files and is open
    /// to other users is refused rather than made private.
    var ledgerPath: String { home.appendingPathComponent("ledger/ledger.sqlite").path }

    static var binary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        return candidates.map { $0.appendingPathComponent("posplus") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs it with a terminal for its output (a pty made by util-linux's `script`, which every
    /// Debian has), as a person at a shell would; the pty merges stdout and stderr into `stdout`.
    func runOnTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let quoted = ([Self.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return try run(
            ["-qec", quoted.joined(separator: " "), "/dev/null"], environment: environment,
            executable: URL(fileURLWithPath: "/usr/bin/script"))
    }

    /// - Parameter input: written to its standard input, which is then closed (nil: no input).
    func run(_ arguments: [String], environment: [String: String] = [:], executable: URL = Self.binary, input: String? = nil) throws
        -> Result
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        // The test's own key, so the test process can open the ledger the child wrote; a test of
        // the key file passes an empty POSPLUS_LEDGER_KEY to make the child use its own.
        process.environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", LedgerKey.environmentName: LedgerKey.forTests.base64]
            .merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

import Foundation
import Ledger
import TestSupport

/// The real `posplus serve` as a child process on a port it picked (`--port 0`), stopped when
/// the value is released: what an operator starts, as the tests see it.
final class ServeProcess {
    let process = Process()
    /// The port serve printed it listens on (0 if it never said).
    private(set) var port = 0

    /// Starts `posplus serve --port 0 ARGUMENTS` with HOME set to the runner's scratch home,
    /// and returns once serve has said where it listens.
    /// `environment` is added to the runner's (HOME, PATH and the tests' ledger key).
    init(_ cli: CLIRunner, arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = CLIRunner.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.environment = ["HOME": cli.home.path, "PATH": "/usr/bin:/bin", LedgerKey.environmentName: LedgerKey.forTests.base64]
            .merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var lines = LineReader(handle: out.fileHandleForReading)
        while let line = lines.next() {
            guard line.hasPrefix("posplus serving on") else { continue }
            port = line.split(separator: ":").last.flatMap { Int($0) } ?? 0
            break
        }
    }

    /// Waits for serve to end by itself (the crash test's SIGKILL), off the cooperative threads.
    func waitForExit() async throws -> Process.TerminationReason {
        let process = self.process
        return try await onOwnThread {
            process.waitUntilExit()
            return process.terminationReason
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

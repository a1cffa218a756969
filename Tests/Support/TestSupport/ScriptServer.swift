import Foundation

/// A helper server written in Python (`scripts/…`): started with its arguments, ready once
/// it prints its first line (which names where it listens), stopped with SIGKILL — a child
/// spawned from a Dispatch thread inherits a signal mask that blocks SIGTERM, and none of
/// these servers has state worth a graceful stop.
public final class ScriptServer: Sendable {
    let process: Process
    /// The first line the script printed, without `prefix`.
    public let announced: String

    /// The package's root folder (this file is Tests/Support/TestSupport/ScriptServer.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public struct NotStarted: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `python3 scripts/<script> <arguments>` and waits for a first line starting with `prefix`.
    public init(script: String, arguments: [String] = [], prefix: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.packageRoot.appendingPathComponent("scripts/\(script)").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var lines = LineReader(handle: output.fileHandleForReading)
        guard let line = lines.next(), line.hasPrefix(prefix) else {
            kill(process.processIdentifier, SIGKILL)
            throw NotStarted(description: "scripts/\(script) did not start; run `make deps` for its PyPI packages")
        }
        self.process = process
        announced = String(line.dropFirst(prefix.count))
    }

    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

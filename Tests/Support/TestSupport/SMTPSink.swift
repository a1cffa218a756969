import Foundation

/// aiosmtpd (PyPI) on 127.0.0.1, started from `scripts/smtp-sink.py`: every accepted message
/// is a file in ``folder`` by the time the client hears "250".
public final class SMTPSink: Sendable {
    let process: Process
    public let folder: URL
    /// `smtp://127.0.0.1:PORT`.
    public let url: String

    /// The package's root folder (this file is Tests/Support/TestSupport/SMTPSink.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.packageRoot.appendingPathComponent("scripts/smtp-sink.py").path, folder.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var lines = LineReader(handle: output.fileHandleForReading)
        guard let line = lines.next(), line.hasPrefix("smtp ") else {
            process.terminate()
            throw CocoaError(.executableNotLoadable, userInfo: [NSLocalizedDescriptionKey: "aiosmtpd did not start; run `make deps`"])
        }
        self.process = process
        url = "smtp://" + line.dropFirst("smtp ".count)
    }

    /// The messages received so far, in order, as text.
    public var messages: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().compactMap {
            try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }
    }

    /// SIGKILL: children spawned from Dispatch threads may have SIGTERM blocked.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}

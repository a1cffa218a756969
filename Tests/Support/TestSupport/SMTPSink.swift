import Foundation

/// aiosmtpd (PyPI) on 127.0.0.1, started from `scripts/smtp-sink.py`: every accepted message
/// is a file in ``folder`` by the time the client hears "250".
public final class SMTPSink: Sendable {
    private let server: ScriptServer
    public let folder: URL
    /// `smtp://127.0.0.1:PORT`.
    public let url: String

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        server = try ScriptServer(script: "smtp-sink.py", arguments: [folder.path], prefix: "smtp ")
        url = "smtp://" + server.announced
    }

    /// The messages received so far, in order, as text.
    public var messages: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().compactMap {
            try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }
    }

    public func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}

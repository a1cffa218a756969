import Bridge
import Foundation
import HTTPClient
import HTTPServing
import Jobber
import Ledger
import Logging
import PosPlusCore
import Server
import Terminal
import TestSupport
import Testing

/// Slow and abandoned connections against the real endpoint on a real port: a flood of
/// half-sent requests does not stop `/health` or a real webhook, and each is cut off by the
/// server — a head never finished (idle timeout), a body that dribbles (body timeout, 408), a
/// body too large (413, connection closed before it is read). Raw TCP from this process plays
/// the slow clients; the limits are short so the server's timers, not the test, decide.
@Suite("posplus serve: slow and abandoned connections", .timeLimit(.minutes(1)))
struct SlowConnectionTests {
    static let secret = "slow-secret"

    func start() async throws -> (RunningHTTPServer, Ledger, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-slow-\(UUID().uuidString)")
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        let inbox = JobberWebhookInbox(
            ledger: ledger, verifier: JobberWebhookVerifier(clientSecret: Secret(Self.secret)), logger: Logger(label: "t"))
        var limits = ServerLimits()
        limits.idleTimeout = .seconds(3)
        limits.bodyTimeout = .milliseconds(500)  // shorter than idle, as by default: the 408 goes out first
        limits.maximumConnections = 100
        let server = try await PosPlusServer(jobberInbox: inbox, logger: Logger(label: "t"), limits: limits).start(port: 0)
        return (server, ledger, folder)
    }

    func connect(_ server: RunningHTTPServer) throws -> TCPConnection {
        try TCPConnection(host: "127.0.0.1", port: server.port, deadline: .now + .seconds(5))
    }

    @Test func halfSentRequestsAreCutOffAndTheServiceStillAnswers() async throws {
        let (server, ledger, folder) = try await start()
        defer { try? FileManager.default.removeItem(at: folder) }
        let slow = try (0..<40).map { _ in
            let connection = try connect(server)
            try connection.write(Array("POST /webhooks/jobber HTTP/1.1\r\nHost: posplus\r\nX-Jobber".utf8), deadline: .now + .seconds(5))
            return connection
        }

        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        #expect(try await http.send(HTTPRequest(.get, server.baseURL + "/health")).text.contains("ok"))
        let body = Array(
            #"{"data":{"webHookEvent":{"topic":"INVOICE_UPDATE","appId":"a","accountId":"acc","itemId":"SW52b2ljZS8x","occurredAt":"2026-12-02T10:00:00Z"}}}"#
                .utf8)
        let signature = JobberWebhookVerifier(clientSecret: Secret(Self.secret)).signature(for: body)
        let stored = try await http.send(
            HTTPRequest(
                .post, server.baseURL + "/webhooks/jobber",
                headers: [("Content-Type", "application/json"), ("X-Jobber-Hmac-SHA256", signature)], body: body))
        #expect(stored.text.contains("stored"), "\(stored.text)")

        // Every half-sent request is closed by the server's idle timeout.
        let closed = await onOwnThreadCount(
            slow.map { connection in { readUntilClosed { try connection.read(maximum: 4096, deadline: $0) }.closed } })
        #expect(closed == slow.count)
        #expect(try ledger.pendingWebhooks().count == 1)
        await server.stop()
    }

    @Test func aDribbledBodyTimesOutAndAnOversizedOneIsRefusedUnread() async throws {
        let (server, _, folder) = try await start()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dribble = try connect(server)
        try dribble.write(
            Array("POST /webhooks/jobber HTTP/1.1\r\nHost: posplus\r\nContent-Length: 1000\r\n\r\n{\"data\"".utf8),
            deadline: .now + .seconds(5))
        let timedOut = try await onOwnThread { readUntilClosed { try dribble.read(maximum: 4096, deadline: $0) } }
        #expect(timedOut.closed && timedOut.text.hasPrefix("HTTP/1.1 408"), "\(timedOut.text)")

        let huge = try connect(server)
        try huge.write(
            Array("POST /webhooks/jobber HTTP/1.1\r\nHost: posplus\r\nContent-Length: 50000000\r\n\r\n".utf8), deadline: .now + .seconds(5))
        try huge.write([UInt8](repeating: 0x41, count: 128 * 1024), deadline: .now + .seconds(5))
        let refused = try await onOwnThread { readUntilClosed { try huge.read(maximum: 4096, deadline: $0) } }
        #expect(refused.closed && refused.text.hasPrefix("HTTP/1.1 413"), "\(refused.text)")
        await server.stop()
    }

    /// Runs blocking reads on threads of their own (never the cooperative pool) and counts trues.
    func onOwnThreadCount(_ bodies: [@Sendable () -> Bool]) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for body in bodies {
                group.addTask {
                    await withCheckedContinuation { continuation in Thread.detachNewThread { continuation.resume(returning: body()) } }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }
}

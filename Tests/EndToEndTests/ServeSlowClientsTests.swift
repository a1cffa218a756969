import Foundation
import Terminal
import TestSupport
import Testing

/// The real `posplus serve` under a flood of half-sent requests (slowloris): it still answers
/// `/health`, and closes every half-sent connection once its idle limit passes — set short here
/// in the configuration file, as an operator would.
@Suite("posplus serve: slow clients against the real binary", .timeLimit(.minutes(1)))
struct ServeSlowClientsTests {
    @Test func aFloodOfHalfSentRequestsNeitherBlocksNorLingers() async throws {
        let cli = try CLIRunner()
        let config = cli.home.appendingPathComponent("posplus.toml").path
        try "[server]\nidle_timeout = \"1s\"\nbody_timeout = \"1s\"\nmax_connections = 100\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let serve = try ServeProcess(cli, arguments: ["--config", config, "--ledger", cli.ledgerPath])
        let port = serve.port
        try #require(port > 0)

        let slow = try (0..<64).map { _ in
            let connection = try TCPConnection(host: "127.0.0.1", port: port, deadline: .now + .seconds(5))
            try connection.write(Array("POST /webhooks/stripe HTTP/1.1\r\nHost: posplus\r\nStripe-Sig".utf8), deadline: .now + .seconds(5))
            return connection
        }
        let health = try TCPConnection(host: "127.0.0.1", port: port, deadline: .now + .seconds(5))
        try health.write(Array("GET /health HTTP/1.1\r\nHost: posplus\r\nConnection: close\r\n\r\n".utf8), deadline: .now + .seconds(5))
        let answer = try await onOwnThread { readUntilClosed { try health.read(maximum: 4096, deadline: $0) } }
        #expect(answer.text.hasPrefix("HTTP/1.1 200") && answer.text.contains(#""status":"ok""#), "\(answer.text)")

        let closed = try await onOwnThread {
            slow.filter { connection in readUntilClosed { try connection.read(maximum: 4096, deadline: $0) }.closed }.count
        }
        #expect(closed == slow.count, "every half-sent request is cut off by the server")
        withExtendedLifetime(serve) {}
    }

}

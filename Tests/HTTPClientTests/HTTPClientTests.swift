import Foundation
import HTTPClient
import InMemoryLogging
import Logging
import PosPlusCore
import Terminal
import TestSupport
import Testing

/// The libcurl client against a real HTTP server on 127.0.0.1.
@Suite("HTTP client on libcurl")
struct HTTPClientTests {
    static let quickRetry = RetrySchedule(initialDelay: .milliseconds(1), maximumDelay: .milliseconds(5), maximumAttempts: 3)

    func client(_ logs: InMemoryLogHandler = InMemoryLogHandler()) -> HTTPClient<ContinuousClock> {
        var logger = Logger(label: "test.http") { _ in logs }
        logger.logLevel = .trace
        return HTTPClient(clock: ContinuousClock(), retry: Self.quickRetry, logger: logger)
    }

    @Test func getAndPostCarryHeadersAndBodies() async throws {
        let server = try LocalHTTPServer { request in
            .respond(
                status: 200, headers: ["X-Seen": request.method], body: Array("\(request.method) \(request.target) \(request.text)".utf8))
        }
        defer { server.stop() }
        let get = try await client().send(
            HTTPRequest(.get, server.baseURL + "/invoices?first=5", headers: [("Accept", "application/json")]))
        #expect(get.status == 200)
        #expect(get.text == "GET /invoices?first=5 ")
        #expect(get.headers["x-seen"] == "GET")
        let post = try await client().send(
            HTTPRequest(
                .post, server.baseURL + "/graphql", headers: [("Content-Type", "application/json")],
                body: Array(#"{"query":"{ account { id } }"}"#.utf8)))
        #expect(post.text == #"POST /graphql {"query":"{ account { id } }"}"#)
        #expect(server.requests.last?.headers["content-type"] == "application/json")
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        let server = try LocalHTTPServer { _ in .respond(status: 404, body: Array(#"{"error":"not found"}"#.utf8)) }
        defer { server.stop() }
        let response = try await client().send(HTTPRequest(.get, server.baseURL + "/nope"))
        #expect(response.status == 404)
        #expect(!response.isSuccess)
    }

    @Test func aRefusedConnectionIsAConnectError() async throws {
        let dead = UnlistenedPort()
        await #expect {
            try await client().send(HTTPRequest(.post, "http://127.0.0.1:\(dead.port)/charge", body: []))
        } throws: { error in
            guard case .connect = error as? HTTPClientError else { return false }
            return true
        }
    }

    @Test func aTimedOutGETIsRetriedButAPOSTIsNot() async throws {
        let server = try LocalHTTPServer { _ in .silence }
        defer { server.stop() }
        await #expect(throws: HTTPClientError.timeout(.milliseconds(300))) {
            try await client().send(HTTPRequest(.get, server.baseURL + "/slow", timeout: .milliseconds(300)))
        }
        #expect(server.requests.count == 3)
        await #expect(throws: HTTPClientError.timeout(.milliseconds(300))) {
            try await client().send(HTTPRequest(.post, server.baseURL + "/charge", body: [1], timeout: .milliseconds(300)))
        }
        #expect(server.requests.count == 4)  // the POST went once: it may have charged
    }

    @Test func serverErrorsAreRetriedOnlyWhenIdempotent() async throws {
        let calls = Counter()
        let server = try LocalHTTPServer { _ in calls.next() == 1 ? .respond(status: 503) : .respond(status: 200, body: Array("ok".utf8)) }
        defer { server.stop() }
        #expect(try await client().send(HTTPRequest(.get, server.baseURL + "/flaky")).text == "ok")
        calls.reset()
        #expect(try await client().send(HTTPRequest(.post, server.baseURL + "/charge", body: [])).status == 503)
        calls.reset()
        let keyed = HTTPRequest(.post, server.baseURL + "/charge", headers: [("Idempotency-Key", "P123")], body: [], isIdempotent: true)
        #expect(try await client().send(keyed).status == 200)
    }

    @Test func anOversizeResponseIsRefused() async throws {
        let server = try LocalHTTPServer { _ in .respond(status: 200, body: [UInt8](repeating: 65, count: 100_000)) }
        defer { server.stop() }
        await #expect(throws: HTTPClientError.responseTooLarge(limit: 10_000)) {
            try await client().send(HTTPRequest(.get, server.baseURL + "/big", maximumResponseBytes: 10_000))
        }
    }

    @Test func aHangUpIsATransportErrorAndTLSToAPlainServerFails() async throws {
        let server = try LocalHTTPServer { _ in .hangUp }
        defer { server.stop() }
        await #expect {
            try await client().send(HTTPRequest(.post, server.baseURL + "/x", body: []))
        } throws: { ($0 as? HTTPClientError)?.mayHaveReachedServer == true }
        // A server that speaks plain HTTP at once: a TLS client must refuse it, not read it.
        let plain = try TCPListener()
        defer { plain.close() }
        Thread.detachNewThread {
            for _ in 0..<10 {  // however many times the client tries
                guard let connection = try? plain.accept(deadline: .now + .seconds(15)) else { return }
                try? connection.write(Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8), deadline: .now + .seconds(1))
                connection.close()
            }
        }
        await #expect {
            // Generous: a loaded machine must not turn the TLS refusal into a timeout.
            try await client().send(HTTPRequest(.get, "https://127.0.0.1:\(plain.port)/", timeout: .seconds(10)))
        } throws: { error in
            guard case .tls = error as? HTTPClientError else { return false }
            return true
        }
    }

    @Test func badURLsAreRefusedBeforeSending() async throws {
        await #expect(throws: HTTPClientError.invalidURL("ftp://example.com/file")) {
            try await client().send(HTTPRequest(.get, "ftp://example.com/file"))
        }
        await #expect(throws: HTTPClientError.invalidURL("not a url")) { try await client().send(HTTPRequest(.get, "not a url")) }
    }

    @Test func logsNeverCarryHeadersBodiesOrQueries() async throws {
        let server = try LocalHTTPServer { _ in .respond(status: 200, body: Array("secret-body".utf8)) }
        defer { server.stop() }
        let logs = InMemoryLogHandler()
        _ = try await client(logs).send(
            HTTPRequest(
                .post, server.baseURL + "/graphql?token=sk_live_query", headers: [("Authorization", "Bearer sk_live_header")],
                body: Array("sk_live_body".utf8)))
        let text = logs.entries.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(text.contains("/graphql"))
        for secret in ["sk_live_query", "sk_live_header", "sk_live_body", "secret-body"] { #expect(!text.contains(secret)) }
    }
}

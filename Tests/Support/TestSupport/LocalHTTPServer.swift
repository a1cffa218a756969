import Foundation
import Terminal

/// A small HTTP/1.1 server on 127.0.0.1 for client tests: one request per connection, a
/// handler that decides the answer, and misbehaviours on demand (never answer, hang up,
/// send too much). Real sockets, so the client's real libcurl path runs.
public final class LocalHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var target: String
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public enum Reply: Sendable {
        case respond(status: Int, headers: [String: String] = [:], body: [UInt8] = [])
        /// Accept the request and never answer (the client must time out).
        case silence
        /// Close the connection without a response.
        case hangUp
    }

    private let listener: TCPListener
    private let handler: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var received: [Request] = []
    private var stopped = false

    public var port: Int { listener.port }
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Every request seen so far, in order.
    public var requests: [Request] { lock.withLock { received } }

    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        listener = try TCPListener()
        self.handler = handler
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    public func stop() {
        lock.withLock { stopped = true }
        listener.close()
    }

    deinit { stop() }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        while !isStopped {
            guard let connection = try? listener.accept(deadline: .now + .milliseconds(100)) else { continue }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: TCPConnection) {
        defer { connection.close() }
        guard let request = readRequest(connection) else { return }
        lock.withLock { received.append(request) }
        switch handler(request) {
        case .hangUp:
            return
        case .silence:
            while !isStopped, (try? connection.read(maximum: 1024, deadline: .now + .milliseconds(100))) != nil {}
        case .respond(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) \(status < 400 ? "OK" : "Error")\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            try? connection.write(Array((head + "\r\n").utf8) + body, deadline: .now + .seconds(5))
        }
    }

    private func readRequest(_ connection: TCPConnection) -> Request? {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(5)
        var headerEnd: Int?
        while headerEnd == nil {
            guard let chunk = try? connection.read(maximum: 65536, deadline: deadline), !chunk.isEmpty else { return nil }
            bytes += chunk
            headerEnd = bytes.indices.dropLast(3).first {
                bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10
            }
        }
        let head = String(decoding: bytes[..<headerEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = head[0].split(separator: " ")
        guard parts.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(headerEnd! + 4)...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            guard let chunk = try? connection.read(maximum: 65536, deadline: deadline), !chunk.isEmpty else { return nil }
            body += chunk
        }
        return Request(method: String(parts[0]), target: String(parts[1]), headers: headers, body: body)
    }
}

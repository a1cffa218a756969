import Foundation
import Terminal

/// POSLink over HTTP GET: `GET /?<base64 of the whole frame>`; the body of the reply is the
/// reply frame itself. There is no ACK/NAK/EOT in this mode, so "delivered" means the
/// request line was written, and from then on a missing reply is `unknown`.
///
/// A deliberately small HTTP/1.1 client over ``TCPConnection``: one GET, `Connection: close`,
/// a bounded body. (The general libcurl client arrives with the Jobber work.)
struct POSLinkHTTPExchange {
    static let maximumReplyBytes = 64 * 1024

    let host: String
    let port: Int
    let timeouts: POSLinkTimeouts

    func exchange(_ request: POSLinkFrame, responseTimeout: Duration) -> POSLinkExchange {
        let connection: TCPConnection
        do {
            connection = try TCPConnection(host: host, port: port, deadline: .now + timeouts.connect)
        } catch {
            return .notDelivered("\(error)")
        }
        defer { connection.close() }
        let query = Data(request.bytes).base64EncodedString()
        let head = "GET /?\(query) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n"
        do {
            try connection.write(Array(head.utf8), deadline: .now + timeouts.ack)
        } catch {
            return .notDelivered("cannot send the request: \(error)")
        }
        let deadline = ContinuousClock.now + responseTimeout
        var received: [UInt8] = []
        while received.count <= Self.maximumReplyBytes {
            let chunk: [UInt8]
            do { chunk = try connection.read(maximum: 4096, deadline: deadline) } catch .closed { break } catch {
                return .unknown("the reply was cut off: \(error)")
            }
            if chunk.isEmpty { return .unknown("no reply within \(responseTimeout)") }
            received += chunk
            if let body = Self.completeBody(received) { return Self.frame(from: body) }
        }
        guard let body = Self.completeBody(received, atEOF: true) else {
            return .unknown("the terminal's HTTP reply was not complete")
        }
        return Self.frame(from: body)
    }

    /// The body once headers and `Content-Length` bytes (or EOF) are in.
    static func completeBody(_ bytes: [UInt8], atEOF: Bool = false) -> [UInt8]? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.first(where: { Array(bytes[$0..<min($0 + 4, bytes.count)]) == separator }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
        let body = Array(bytes[(end + 4)...])
        if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        {
            return body.count >= length ? Array(body.prefix(length)) : nil
        }
        return atEOF ? body : nil
    }

    static func frame(from body: [UInt8]) -> POSLinkExchange {
        var decoder = POSLinkDecoder()
        for event in decoder.feed(body) {
            if case .frame(let frame) = event { return .reply(frame) }
            if case .corruptFrame(let reason) = event { return .unknown("the terminal's reply was garbled (\(reason))") }
        }
        return .unknown("the terminal's HTTP reply held no POSLink frame")
    }
}

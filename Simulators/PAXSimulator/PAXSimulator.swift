import Foundation
import PAX
import PosPlusCore
import Terminal

/// A simulated PAX terminal serving real POSLink bytes on a pty, a TCP port and/or an HTTP
/// port, so the driver's real transport and link code runs in every test and in the demo.
///
/// Faults are queued per request (``inject(_:count:)``): the next request that is not a
/// cancel takes the first queued fault. Everything binds 127.0.0.1 and stops with ``stop()``.
public final class PAXSimulator: @unchecked Sendable {
    public struct Settings: Sendable {
        /// Time the "customer" takes at the terminal before the reply.
        public var processingDelay: Duration = .zero
        /// Pace replies at this baud rate (10 bits a byte), as a real serial line would.
        public var baudRate: Int?
        /// `lateReply`: give up waiting for the client to hang up after this long.
        public var lateReplyAfter: Duration = .seconds(30)
        /// `waitForCancel`: answer ABORTED anyway after this long.
        public var cancelWaitLimit: Duration = .seconds(30)

        public init(processingDelay: Duration = .zero, baudRate: Int? = nil) {
            self.processingDelay = processingDelay
            self.baudRate = baudRate
        }
    }

    public let terminal = SimulatedTerminal()
    public let settings: Settings
    private let lock = NSLock()
    private var faults: [SimulatorFault] = []
    private var stopped = false
    private var threads: [Thread] = []
    private var closers: [() -> Void] = []

    public init(settings: Settings = Settings()) {
        // A client that hangs up mid-reply must not stop the process hosting the simulator (a
        // test run or posplus-sim): writes then fail with EPIPE instead of raising SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        self.settings = settings
    }

    /// Makes the next `count` requests misbehave as `fault`.
    public func inject(_ fault: SimulatorFault, count: Int = 1) {
        lock.withLock { faults += Array(repeating: fault, count: count) }
    }

    func takeFault() -> SimulatorFault? {
        lock.withLock { faults.isEmpty ? nil : faults.removeFirst() }
    }

    var isStopped: Bool { lock.withLock { stopped } }

    /// Blocks until a `waitForCancel` transaction is being held, so a test can send its
    /// cancel at the right moment without sleeping.
    /// The wait happens on its own thread: blocking one of Swift's few cooperative threads
    /// could starve the very task that is about to send the transaction.
    public func waitUntilHolding(timeout: Duration = .seconds(30)) async {
        let terminal = self.terminal
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                terminal.holding.lock()
                let limit = Date().addingTimeInterval(timeout.timeInterval)
                while terminal.holdCount == 0 && terminal.holding.wait(until: limit) {}
                terminal.holding.unlock()
                continuation.resume()
            }
        }
    }

    /// Serves on a new pty; returns the device path to give the driver.
    public func startPTY() throws -> String {
        let pty = try PseudoTerminal()
        let link = SimulatorLink(transport: pty, terminal: terminal, settings: settings, nextFault: { [weak self] in self?.takeFault() })
        spawn { [weak self] in
            while let self, !self.isStopped { link.serve(shouldStop: { self.isStopped }) }
        }
        lock.withLock { closers.append { pty.close() } }
        return pty.devicePath
    }

    /// Serves raw POSLink over TCP on 127.0.0.1; returns the port (0 picks a free one).
    public func startTCP(port: Int = 0) throws -> Int {
        let listener = try TCPListener(port: port)
        lock.withLock { closers.append { listener.close() } }
        spawn { [weak self] in
            while let self, !self.isStopped {
                guard let connection = try? listener.accept(deadline: .now + .milliseconds(100)) else { continue }
                let link = SimulatorLink(
                    transport: connection, terminal: self.terminal, settings: self.settings, nextFault: { [weak self] in self?.takeFault() }
                )
                self.spawn { [weak self] in
                    link.serve(shouldStop: { self?.isStopped ?? true })
                    connection.close()
                }
            }
        }
        return listener.port
    }

    /// Serves POSLink over HTTP GET on 127.0.0.1; returns the port.
    public func startHTTP(port: Int = 0) throws -> Int {
        let listener = try TCPListener(port: port)
        lock.withLock { closers.append { listener.close() } }
        spawn { [weak self] in
            while let self, !self.isStopped {
                guard let connection = try? listener.accept(deadline: .now + .milliseconds(100)) else { continue }
                self.spawn { [weak self] in
                    guard let self else { return }
                    SimulatorHTTP.serve(connection, terminal: self.terminal, fault: { self.takeFault() })
                    connection.close()
                }
            }
        }
        return listener.port
    }

    /// Stops every front end and closes their ports.
    public func stop() {
        let toClose = lock.withLock { () -> [() -> Void] in
            stopped = true
            defer { closers = [] }
            return closers
        }
        toClose.forEach { $0() }
    }

    deinit { stop() }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = "pax-simulator"
        thread.start()
    }
}

/// The HTTP-GET front end: one request per connection, the frame base64 in the query.
enum SimulatorHTTP {
    static func serve(_ connection: TCPConnection, terminal: SimulatedTerminal, fault: () -> SimulatorFault?) {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while !received.contains(13) || String(decoding: received, as: UTF8.self).range(of: "\r\n\r\n") == nil {
            guard let chunk = try? connection.read(maximum: 8192, deadline: deadline), !chunk.isEmpty, received.count < 65536 else {
                return
            }
            received += chunk
        }
        let requestLine = String(decoding: received, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[0] == "GET", let query = parts[1].split(separator: "?", maxSplits: 1).last,
            let data = Data(base64Encoded: String(query).removingPercentEncoding ?? String(query))
        else {
            respond(connection, status: "400 Bad Request", body: Array("expected GET /?<base64 POSLink frame>".utf8))
            return
        }
        var decoder = POSLinkDecoder()
        guard case .frame(let request)? = decoder.feed(Array(data)).first else {
            respond(connection, status: "400 Bad Request", body: Array("the query is not a valid POSLink frame".utf8))
            return
        }
        let chosen = fault()
        if chosen == .ackThenSilence || chosen == .dropBeforeReply {
            if chosen == .ackThenSilence { _ = terminal.handle(request) }
            return
        }
        guard let reply = terminal.handle(request, fault: chosen) else {
            respond(connection, status: "200 OK", body: [])
            return
        }
        respond(connection, status: "200 OK", body: reply.bytes)
    }

    static func respond(_ connection: TCPConnection, status: String, body: [UInt8]) {
        let head =
            "HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
        try? connection.write(Array(head.utf8) + body, deadline: .now + .seconds(2))
    }
}

import Glibc
import PosPlusCore

/// poll()-based reads and writes with deadlines on a non-blocking file descriptor: the part a
/// serial port, a TCP socket and a pty master share. The stream owns the descriptor: it closes
/// with ``close()`` (safe from any thread) or when the last copy goes away.
struct FileDescriptorStream {
    /// The longest single poll: how soon a wait notices ``close()`` on a pty or serial line
    /// (sockets are woken at once by `shutdown`).
    static let pollSlice: Duration = .milliseconds(100)

    private let shared: SharedDescriptor
    /// Sockets are written with `send(MSG_NOSIGNAL)`: a peer that hung up must give EPIPE,
    /// not a SIGPIPE that kills the whole process.
    let isSocket: Bool

    init(descriptor: Int32, isSocket: Bool = false) {
        shared = SharedDescriptor(descriptor, isSocket: isSocket)
        self.isSocket = isSocket
    }

    /// Closes once no call is using the descriptor; calls after this throw `.closed`.
    func close() { shared.close() }

    /// Runs `body` with the raw descriptor (for ioctl, accept, getsockopt), kept open meanwhile.
    func use<T>(_ body: (Int32) throws(TransportError) -> T) throws(TransportError) -> T {
        try shared.use(body)
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            try wait(for: Int16(POLLOUT), until: deadline)
            let (written, error) = try use { descriptor in
                let written = bytes[offset...].withUnsafeBytes { buffer in
                    isSocket
                        ? send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                        : Glibc.write(descriptor, buffer.baseAddress, buffer.count)
                }
                return (written, errno)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && error != EAGAIN && error != EINTR {
                throw error == EPIPE || error == ECONNRESET ? .closed : .io(String(cString: strerror(error)))
            }
        }
    }

    func read(maximum: Int, deadline: ContinuousClock.Instant) throws(TransportError) -> [UInt8] {
        while true {
            do { try wait(for: Int16(POLLIN), until: deadline) } catch .timedOut { return [] }
            var buffer = [UInt8](repeating: 0, count: maximum)
            let (count, error) = try use { descriptor in
                (buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, maximum) }, errno)
            }
            if count > 0 { return Array(buffer[..<count]) }
            if count == 0 { throw .closed }
            if error == EIO || error == ECONNRESET { throw .closed }  // pty/USB gone, peer reset
            if error != EAGAIN && error != EINTR { throw .io(String(cString: strerror(error))) }
        }
    }

    /// Waits until the descriptor is ready for `events` or the deadline passes.
    func wait(for events: Int16, until deadline: ContinuousClock.Instant) throws(TransportError) {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw .timedOut }
            let millis = Int32(clamping: min(remaining, Self.pollSlice).wholeMilliseconds + 1)
            let (ready, revents, error) = try use { descriptor in
                var entry = pollfd(fd: descriptor, events: events, revents: 0)
                let ready = poll(&entry, 1, millis)
                return (ready, entry.revents, errno)
            }
            if ready > 0 {
                if revents & Int16(POLLNVAL) != 0 { throw .closed }
                // POLLHUP with data still buffered: let the read drain it first.
                if revents & (events | Int16(POLLHUP) | Int16(POLLERR)) != 0 { return }
            } else if ready < 0 && error != EINTR {
                throw .io(String(cString: strerror(error)))
            }
        }
    }

    static func errorText() -> String { String(cString: strerror(errno)) }

    static func setNonBlocking(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    }
}

/// A transport that is one file descriptor: reads and writes go straight to its stream.
protocol FileDescriptorTransport: ByteTransport {
    var stream: FileDescriptorStream { get }
}

extension FileDescriptorTransport {
    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(TransportError) {
        try stream.write(bytes, deadline: deadline)
    }

    public func read(maximum: Int, deadline: ContinuousClock.Instant) throws(TransportError) -> [UInt8] {
        try stream.read(maximum: maximum, deadline: deadline)
    }
}

import Glibc
import PosPlusCore

/// poll()-based reads and writes with deadlines on a non-blocking file descriptor: the part a
/// serial port, a TCP socket and a pty master share.
struct FileDescriptorStream {
    let descriptor: Int32
    /// Sockets are written with `send(MSG_NOSIGNAL)`: a peer that hung up must give EPIPE,
    /// not a SIGPIPE that kills the whole process.
    var isSocket = false

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            try wait(for: Int16(POLLOUT), until: deadline)
            let written = bytes[offset...].withUnsafeBytes { buffer in
                isSocket
                    ? send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                    : Glibc.write(descriptor, buffer.baseAddress, buffer.count)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno != EAGAIN && errno != EINTR {
                throw errno == EPIPE || errno == ECONNRESET ? .closed : .io(Self.errorText())
            }
        }
    }

    func read(maximum: Int, deadline: ContinuousClock.Instant) throws(TransportError) -> [UInt8] {
        while true {
            do { try wait(for: Int16(POLLIN), until: deadline) } catch .timedOut { return [] }
            var buffer = [UInt8](repeating: 0, count: maximum)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, maximum) }
            if count > 0 { return Array(buffer[..<count]) }
            if count == 0 { throw .closed }
            if errno == EIO || errno == ECONNRESET { throw .closed }  // pty/USB gone, peer reset
            if errno != EAGAIN && errno != EINTR { throw .io(Self.errorText()) }
        }
    }

    /// Waits until the descriptor is ready for `events` or the deadline passes.
    func wait(for events: Int16, until deadline: ContinuousClock.Instant) throws(TransportError) {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw .timedOut }
            let millis = Int32(clamping: remaining.wholeMilliseconds + 1)
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, millis)
            if ready > 0 {
                if entry.revents & Int16(POLLNVAL) != 0 { throw .closed }
                // POLLHUP with data still buffered: let the read drain it first.
                if entry.revents & (events | Int16(POLLHUP) | Int16(POLLERR)) != 0 { return }
            } else if ready < 0 && errno != EINTR {
                throw .io(Self.errorText())
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

import Glibc

/// A listening TCP socket on 127.0.0.1 (port 0 picks a free one). Used by the simulators;
/// `accept` waits with a deadline so a serving thread can notice it was asked to stop.
public final class TCPListener: @unchecked Sendable {
    private let stream: FileDescriptorStream
    /// The port actually bound.
    public let port: Int

    public init(port: Int = 0) throws(TransportError) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .openFailed("socket: \(FileDescriptorStream.errorText())") }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let reason = FileDescriptorStream.errorText()
            Glibc.close(descriptor)
            throw .openFailed("cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        FileDescriptorStream.setNonBlocking(descriptor)
        self.stream = FileDescriptorStream(descriptor: descriptor, isSocket: true)
        self.port = Int(UInt16(bigEndian: actual.sin_port))
    }

    /// The next connection, or nil once the deadline passes.
    public func accept(deadline: ContinuousClock.Instant) throws(TransportError) -> TCPConnection? {
        do { try stream.wait(for: Int16(POLLIN), until: deadline) } catch .timedOut { return nil }
        let (client, error) = try stream.use { descriptor in
            (Glibc.accept(descriptor, nil, nil), errno)
        }
        if client < 0 {
            if error == EAGAIN || error == EINTR || error == ECONNABORTED { return nil }
            if error == EINVAL { throw .closed }  // shut down by close() on another thread
            throw .io("accept: \(String(cString: strerror(error)))")
        }
        return TCPConnection(accepted: client)
    }

    /// Stops listening; safe from any thread, and wakes a thread waiting in ``accept(deadline:)``.
    public func close() { stream.close() }

    deinit { close() }
}

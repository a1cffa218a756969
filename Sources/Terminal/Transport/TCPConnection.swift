import Glibc

/// A TCP client connection with a connect deadline and TCP_NODELAY (a link-layer ACK is one
/// byte and must not wait for Nagle).
public final class TCPConnection: FileDescriptorTransport, @unchecked Sendable {
    let stream: FileDescriptorStream

    public init(host: String, port: Int, deadline: ContinuousClock.Instant) throws(TransportError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw .connectFailed("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }

        var lastError = "no address for \(host)"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let descriptor = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { continue }
            FileDescriptorStream.setNonBlocking(descriptor)
            var one: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let result = connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen)
            if result == 0 || errno == EINPROGRESS {
                let stream = FileDescriptorStream(descriptor: descriptor, isSocket: true)
                do {
                    try stream.wait(for: Int16(POLLOUT), until: deadline)
                    var socketError: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length)
                    if socketError == 0 {
                        self.stream = stream
                        return
                    }
                    lastError = String(cString: strerror(socketError))
                } catch {
                    lastError = error == .timedOut ? "timed out" : error.description
                }
                stream.close()
                continue
            }
            lastError = FileDescriptorStream.errorText()
            Glibc.close(descriptor)
        }
        throw .connectFailed("\(host):\(port): \(lastError)")
    }

    /// Wraps an accepted server-side socket (the simulator's side of a connection).
    public init(accepted descriptor: Int32) {
        FileDescriptorStream.setNonBlocking(descriptor)
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        stream = FileDescriptorStream(descriptor: descriptor, isSocket: true)
    }

    /// Hangs up; safe from any thread (see ``SharedDescriptor``).
    public func close() { stream.close() }

    deinit { close() }
}

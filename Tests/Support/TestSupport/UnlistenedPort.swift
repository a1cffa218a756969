import Glibc

/// A local port that is reserved but refuses connections: a socket bound to it that never
/// listens. Closing a listener to get a "dead" port is racy when tests run in parallel —
/// another test's listener can be given the same port at once.
public final class UnlistenedPort: @unchecked Sendable {
    private let descriptor: Int32
    public let port: Int

    public init() {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: bound.sin_port))
    }

    deinit { close(descriptor) }
}

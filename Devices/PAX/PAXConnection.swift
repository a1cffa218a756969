/// Where a PAX terminal is and how to reach it.
public enum PAXConnection: Equatable, Sendable, CustomStringConvertible {
    /// RS-232 or USB-serial (`/dev/ttyUSB0`, `/dev/ttyACM0`), or a pty in tests.
    case serial(path: String, baudRate: Int)
    /// Raw TCP, a connection per request (port 10009 by default).
    case tcp(host: String, port: Int)
    /// HTTP GET with the frame base64-encoded in the query; no ACK/NAK/EOT.
    case http(host: String, port: Int)

    public static let defaultPort = 10009

    public var description: String {
        switch self {
        case .serial(let path, let baud): return "serial \(path) at \(baud) baud"
        case .tcp(let host, let port): return "tcp \(host):\(port)"
        case .http(let host, let port): return "http \(host):\(port)"
        }
    }
}

import Logging
import Terminal

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

extension PAXDriver {
    /// The "pax" family's plug-in: a driver for a brand-free endpoint.
    public static func factory(logger: Logger) -> TerminalDriverFactory {
        { endpoint, timeouts in
            let connection: PAXConnection
            switch endpoint {
            case .serial(let path, let baud): connection = .serial(path: path, baudRate: baud)
            case .tcp(let host, let port): connection = .tcp(host: host, port: port)
            case .http(let host, let port): connection = .http(host: host, port: port)
            }
            let pax = POSLinkTimeouts(connect: timeouts.connect, ack: timeouts.acknowledge, response: timeouts.response)
            return PAXDriver(connection: connection, timeouts: pax, logger: logger)
        }
    }
}

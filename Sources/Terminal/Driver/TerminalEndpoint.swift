/// Where a resolved terminal is now: what a driver family needs to open it. (A USB terminal
/// has already been resolved to its serial device by discovery.)
public enum TerminalEndpoint: Equatable, Sendable, CustomStringConvertible {
    case serial(path: String, baudRate: Int)
    case tcp(host: String, port: Int)
    case http(host: String, port: Int)

    public var description: String {
        switch self {
        case .serial(let path, let baud): return "serial \(path) at \(baud) baud"
        case .tcp(let host, let port): return "tcp \(host):\(port)"
        case .http(let host, let port): return "http \(host):\(port)"
        }
    }
}

/// Brand-free timeouts a driver family maps onto its protocol's steps.
public struct TerminalTimeouts: Equatable, Sendable {
    public var connect: Duration
    public var acknowledge: Duration
    public var response: Duration

    public init(connect: Duration = .seconds(5), acknowledge: Duration = .seconds(5), response: Duration = .seconds(120)) {
        self.connect = connect
        self.acknowledge = acknowledge
        self.response = response
    }
}

/// Builds a driver of one terminal family for an endpoint: the plug-in point. The app hands a
/// table of these to whatever creates drivers; nothing registers itself globally.
public typealias TerminalDriverFactory = @Sendable (TerminalEndpoint, TerminalTimeouts) throws -> any TerminalDriver

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

    /// The endpoint as one line of text that ``init(locator:)`` reads back: what the ledger
    /// records on an attempt, so Recovery can reach a terminal that was named only by address.
    public var locator: String {
        switch self {
        case .serial(let path, let baud): return "serial:\(baud):\(path)"
        case .tcp(let host, let port): return "tcp:\(port):\(host)"
        case .http(let host, let port): return "http:\(port):\(host)"
        }
    }

    /// Reads a ``locator``; nil for text that is not one.
    public init?(locator: String) {
        let parts = locator.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let number = Int(parts[1]), number > 0, !parts[2].isEmpty else { return nil }
        let place = String(parts[2])
        switch parts[0] {
        case "serial": self = .serial(path: place, baudRate: number)
        case "tcp" where number <= 65_535: self = .tcp(host: place, port: number)
        case "http" where number <= 65_535: self = .http(host: place, port: number)
        default: return nil
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

import Foundation

/// One terminal from the configuration, by the name staff use (`[terminals.front-desk]`).
///
/// ```toml
/// [terminals.front-desk]
/// driver = "pax"                 # the terminal family
/// connection = "usb"             # serial | usb | tcp | http
/// usb = "1a86:7523"              # vendor:product, optionally "#SERIAL" to pick one of several
/// response_timeout_s = 120
///
/// [terminals.back-office]
/// driver = "pax"
/// connection = "tcp"
/// host = "192.168.1.50"          # port defaults to 10009
/// ```
public struct TerminalSettings: Equatable, Sendable {
    public enum Connection: Equatable, Sendable {
        case serial(path: String)
        /// Found by USB ids (and serial number) each time it is opened: survives re-plugging.
        case usb(vendorID: UInt16, productID: UInt16, serialNumber: String?)
        case tcp(host: String, port: Int)
        case http(host: String, port: Int)
    }

    public var name: String
    /// The driver family ("pax").
    public var driver: String
    public var connection: Connection
    public var baudRate: Int = 9600
    public var connectTimeout: Duration = .seconds(5)
    public var ackTimeout: Duration = .seconds(5)
    public var responseTimeout: Duration = .seconds(120)

    public init(name: String, driver: String, connection: Connection) {
        self.name = name
        self.driver = driver
        self.connection = connection
    }

    /// Where the terminal is, as `config show` and `terminals list` print it.
    public var connectionText: String {
        switch connection {
        case .serial(let path): return "serial \(path) at \(baudRate) baud"
        case .usb(let vendor, let product, let serial):
            return "usb " + String(format: "%04x:%04x", vendor, product) + (serial.map { "#\($0)" } ?? "") + " at \(baudRate) baud"
        case .tcp(let host, let port): return "tcp \(host):\(port)"
        case .http(let host, let port): return "http \(host):\(port)"
        }
    }

    static let keys: Set<String> = [
        "driver", "connection", "path", "usb", "host", "port", "baud", "connect_timeout_ms", "ack_timeout_ms", "response_timeout_s",
    ]

    /// Builds one terminal from its raw values; `problem` names the key at fault.
    static func parse(name: String, values: [String: RawConfigValue]) throws(TerminalProblem) -> TerminalSettings {
        func text(_ key: String) throws(TerminalProblem) -> String? {
            guard let value = values[key] else { return nil }
            do { return try value.nonEmptyText() } catch { throw TerminalProblem(key: key, message: error.message) }
        }
        func integer(_ key: String, in range: ClosedRange<Int>) throws(TerminalProblem) -> Int? {
            guard let value = values[key] else { return nil }
            guard case .integer(let number) = value, range.contains(number) else {
                throw TerminalProblem(key: key, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        guard name.range(of: "^[a-z0-9][a-z0-9-]{0,31}$", options: .regularExpression) != nil else {
            throw TerminalProblem(key: "", message: "a terminal name is 1 to 32 lower-case letters, digits or dashes")
        }
        guard let driver = try text("driver") else { throw TerminalProblem(key: "driver", message: "is required (for example \"pax\")") }
        let port = try integer("port", in: 1...65535)
        let connection: Connection
        switch try text("connection") {
        case "serial"?:
            guard let path = try text("path") else { throw TerminalProblem(key: "path", message: "is required for a serial connection") }
            connection = .serial(path: path)
        case "usb"?:
            guard let match = try text("usb") else {
                throw TerminalProblem(key: "usb", message: "is required: \"vendor:product\" such as \"1a86:7523\"")
            }
            connection = try parseUSB(match)
        case "tcp"?:
            guard let host = try text("host") else { throw TerminalProblem(key: "host", message: "is required for a tcp connection") }
            connection = .tcp(host: host, port: port ?? 10009)
        case "http"?:
            guard let host = try text("host") else { throw TerminalProblem(key: "host", message: "is required for an http connection") }
            connection = .http(host: host, port: port ?? 10009)
        case let other:
            throw TerminalProblem(
                key: "connection", message: "must be serial, usb, tcp or http, not \(other.map { "\"\($0)\"" } ?? "missing")")
        }
        var settings = TerminalSettings(name: name, driver: driver, connection: connection)
        if let baud = try integer("baud", in: 1200...115200) { settings.baudRate = baud }
        if let millis = try integer("connect_timeout_ms", in: 100...60_000) { settings.connectTimeout = .milliseconds(millis) }
        if let millis = try integer("ack_timeout_ms", in: 100...60_000) { settings.ackTimeout = .milliseconds(millis) }
        if let seconds = try integer("response_timeout_s", in: 1...600) { settings.responseTimeout = .seconds(seconds) }
        return settings
    }

    static func parseUSB(_ text: String) throws(TerminalProblem) -> Connection {
        let parts = text.split(separator: "#", maxSplits: 1)
        let ids = parts[0].split(separator: ":")
        guard ids.count == 2, let vendor = UInt16(ids[0], radix: 16), let product = UInt16(ids[1], radix: 16) else {
            throw TerminalProblem(key: "usb", message: "\"\(text)\" is not \"vendor:product\" in hex, such as \"1a86:7523\"")
        }
        return .usb(vendorID: vendor, productID: product, serialNumber: parts.count == 2 ? String(parts[1]) : nil)
    }
}

/// What is wrong with one terminal's settings; the loader adds the file and terminal name.
struct TerminalProblem: Error {
    let key: String
    let message: String
}

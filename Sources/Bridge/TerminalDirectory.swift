import DeviceCatalog
import Logging
import Terminal

/// The configured terminals, and drivers for them through registered families.
///
/// A USB terminal is looked up by its ids every time a driver is made, so after a re-plug
/// (new tty name) the supervisor's next reconnect finds it where it now is.
public struct TerminalDirectory: Sendable {
    public var terminals: [TerminalSettings]
    /// Driver families by name ("pax"), handed in by the app.
    public var families: [String: TerminalDriverFactory]
    public var discovery: TerminalDiscovery

    public init(
        terminals: [TerminalSettings], families: [String: TerminalDriverFactory], discovery: TerminalDiscovery = TerminalDiscovery()
    ) {
        self.terminals = terminals
        self.families = families
        self.discovery = discovery
    }

    public func settings(named name: String) throws(TerminalDirectoryError) -> TerminalSettings {
        guard let settings = terminals.first(where: { $0.name == name }) else {
            throw .unknownTerminal(name: name, known: terminals.map(\.name))
        }
        return settings
    }

    /// Where the terminal is right now (resolving USB through discovery).
    public func endpoint(for settings: TerminalSettings) throws(TerminalDirectoryError) -> TerminalEndpoint {
        switch settings.connection {
        case .serial(let path): return .serial(path: path, baudRate: settings.baudRate)
        case .tcp(let host, let port): return .tcp(host: host, port: port)
        case .http(let host, let port): return .http(host: host, port: port)
        case .usb(let vendor, let product, let serial):
            let found: [DiscoveredTerminal]
            do { found = try discovery.scan() } catch { throw .notFound(name: settings.name, reason: "\(error)") }
            let matches = found.filter {
                $0.device.vendorID == vendor && $0.device.productID == product && (serial == nil || $0.device.serialNumber == serial)
            }
            guard let match = matches.first else {
                throw .notFound(name: settings.name, reason: "no USB device \(settings.connectionText) is plugged in")
            }
            guard matches.count == 1 else {
                throw .ambiguous(name: settings.name, serials: matches.map { $0.device.serialNumber ?? "(none)" })
            }
            guard let tty = match.ttyPath else {
                throw .notFound(name: settings.name, reason: "\(match.device) has no serial port (is its kernel driver loaded?)")
            }
            return .serial(path: tty, baudRate: settings.baudRate)
        }
    }

    /// A driver for the named terminal, at its current endpoint.
    public func driver(named name: String) throws(TerminalDirectoryError) -> any TerminalDriver {
        let settings = try settings(named: name)
        guard let family = families[settings.driver] else {
            throw .unknownDriver(name: name, driver: settings.driver, known: families.keys.sorted())
        }
        let timeouts = TerminalTimeouts(
            connect: settings.connectTimeout, acknowledge: settings.ackTimeout, response: settings.responseTimeout)
        let endpoint = try endpoint(for: settings)
        do { return try family(endpoint, timeouts) } catch { throw .notFound(name: name, reason: "\(error)") }
    }

    /// A channel for a terminal that was named by address when a payment was taken, from what
    /// the attempt recorded (``TerminalChannel/endpoint``), under the payment's channel name.
    public func channel(named name: String, recordedAt endpoint: String, timeouts: TerminalTimeouts = TerminalTimeouts())
        throws(TerminalDirectoryError) -> TerminalChannel
    {
        let parts = endpoint.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let family = families[String(parts[0])], let place = TerminalEndpoint(locator: String(parts[1])) else {
            throw .notFound(name: name, reason: "the recorded endpoint \"\(endpoint)\" is not one this build can reach")
        }
        do { return TerminalChannel(name: name, driver: try family(place, timeouts), endpoint: endpoint) } catch {
            throw .notFound(name: name, reason: "\(error)")
        }
    }

    /// What ``channel(named:recordedAt:timeouts:)`` reads: the driver family and where it is.
    public static func recordedEndpoint(family: String, at place: TerminalEndpoint) -> String { "\(family) \(place.locator)" }

    /// The configured terminal as a payment channel, through its supervisor: one transaction
    /// in flight at a time, and a driver rebuilt (a USB terminal found again) after a failure.
    public func channel(named name: String, logger: Logger) throws(TerminalDirectoryError) -> TerminalChannel {
        let supervisor = try supervisor(named: name, clock: ContinuousClock(), logger: logger)
        return TerminalChannel(name: name, driver: supervisor) { await TerminalHealth(of: supervisor) }
    }

    /// A supervisor that rebuilds its driver through this directory after any failure.
    public func supervisor<C: Clock<Duration>>(named name: String, clock: C, logger: Logger) throws(TerminalDirectoryError)
        -> TerminalSupervisor<C>
    {
        _ = try settings(named: name)
        let directory = self
        return TerminalSupervisor(name: name, clock: clock, logger: logger) { try directory.driver(named: name) }
    }
}

/// Why a configured terminal cannot be reached or built.
public enum TerminalDirectoryError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownTerminal(name: String, known: [String])
    case unknownDriver(name: String, driver: String, known: [String])
    case notFound(name: String, reason: String)
    case ambiguous(name: String, serials: [String])

    public var description: String {
        switch self {
        case .unknownTerminal(let name, let known):
            let list = known.isEmpty ? "none are configured (add a [terminals.NAME] table)" : "configured: \(known.joined(separator: ", "))"
            return "No terminal named \"\(name)\"; \(list)."
        case .unknownDriver(let name, let driver, let known):
            return "Terminal \(name) asks for driver \"\(driver)\"; available: \(known.joined(separator: ", "))."
        case .notFound(let name, let reason):
            return "Terminal \(name) cannot be reached: \(reason)."
        case .ambiguous(let name, let serials):
            return
                "Terminal \(name) matches \(serials.count) USB devices (serials \(serials.joined(separator: ", "))); add \"#SERIAL\" to its usb setting."
        }
    }
}

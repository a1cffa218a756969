import ArgumentParser
import Bridge
import Foundation
import Logging
import PAX
import PosPlusCore
import Terminal

/// Which terminal a command talks to: a configured name, or an address given on the spot.
struct TerminalTarget: ParsableArguments {
    @Argument(help: ArgumentHelp("A terminal name from the configuration (see `posplus terminals list`).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Talk to a serial device directly, e.g. /dev/ttyUSB0.", valueName: "path"))
    var serial: String?

    @Option(help: ArgumentHelp("Talk to a LAN terminal over raw TCP.", valueName: "host:port"))
    var tcp: String?

    @Option(help: ArgumentHelp("Talk to a LAN terminal over HTTP GET.", valueName: "host:port"))
    var http: String?

    @Option(help: "Baud rate for --serial.")
    var baud = 9600

    @Option(help: ArgumentHelp("How long to wait for the answer of a terminal given by address (seconds).", valueName: "seconds"))
    var responseTimeout = 60

    /// At most one way of naming the terminal; commands that cannot do without one also call
    /// ``requireOne()`` (a void or refund defaults to the terminal that took the payment).
    func validate() throws {
        let given = [name != nil, serial != nil, tcp != nil, http != nil].filter { $0 }.count
        guard given <= 1 else {
            throw ValidationError("Name one terminal: a configured name, or one of --serial, --tcp or --http.")
        }
        guard (1...600).contains(responseTimeout) else { throw ValidationError("--response-timeout takes 1 to 600 seconds.") }
    }

    var isGiven: Bool { name != nil || serial != nil || tcp != nil || http != nil }

    func requireOne() throws {
        guard isGiven else { throw ValidationError("Name one terminal: a configured name, or one of --serial, --tcp or --http.") }
    }

    /// The payment channel name a terminal named this way records: its configured name, or
    /// where it is (so a void or refund given the same address finds the same channel).
    /// A terminal named by address also records where it is, so `posplus recover` can reach it.
    /// A configured terminal comes from the app, through its supervisor.
    func channel(in app: PosPlusApp) throws -> TerminalChannel {
        if let name { return try app.terminalChannel(named: name) }
        let (driver, place) = try driver(config: app.config, logger: app.logger)
        guard let endpoint = try givenEndpoint() else { return TerminalChannel(name: place, driver: driver) }
        return TerminalChannel(name: place, driver: driver, endpoint: TerminalDirectory.recordedEndpoint(family: "pax", at: endpoint))
    }

    /// Drivers of the families this build knows: the composition root for plug-ins.
    /// Every driver reads amounts in the business's currency.
    static func families(currency: Currency, logger: Logger) -> [String: TerminalDriverFactory] {
        ["pax": PAXDriver.factory(currency: currency, logger: logger)]
    }

    /// A driver for the chosen terminal and a description of where it is.
    func driver(config: PosPlusConfig, logger: Logger) throws -> (any TerminalDriver, String) {
        let families = Self.families(currency: config.currency, logger: logger)
        if let name {
            let directory = TerminalDirectory(terminals: config.terminals, families: families)
            let settings = try directory.settings(named: name)
            return (try directory.driver(named: name), "\(name) (\(settings.connectionText))")
        }
        guard let endpoint = try givenEndpoint() else { throw ValidationError("Name a terminal.") }
        return (try families["pax"]!(endpoint, TerminalTimeouts(response: .seconds(responseTimeout))), endpoint.description)
    }

    /// The terminal's address when given with --serial, --tcp or --http (nil for a name).
    func givenEndpoint() throws -> TerminalEndpoint? {
        if let serial { return .serial(path: serial, baudRate: baud) }
        if let tcp {
            let (host, port) = try Self.hostAndPort(tcp, option: "--tcp")
            return .tcp(host: host, port: port)
        }
        if let http {
            let (host, port) = try Self.hostAndPort(http, option: "--http")
            return .http(host: host, port: port)
        }
        return nil
    }

    static func hostAndPort(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port),
            colon != text.startIndex
        else {
            throw ValidationError("\(option) takes host:port, such as 192.168.1.50:10009, not \"\(text)\".")
        }
        return (String(text[..<colon]), port)
    }
}

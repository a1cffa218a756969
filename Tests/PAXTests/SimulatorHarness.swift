import Foundation
import InMemoryLogging
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Terminal
import Testing

/// A simulator plus a driver wired to it over one of the three transports.
struct SimulatorHarness {
    enum Link: String, CaseIterable, CustomTestStringConvertible {
        case pty, tcp, http
        var testDescription: String { rawValue }
    }

    let simulator: PAXSimulator
    let driver: PAXDriver
    let logs: InMemoryLogHandler
    private let references = ReferenceCounter()

    /// Quick timeouts for fault tests: a missing ACK or reply is declared in well under a second.
    static let fast = POSLinkTimeouts(
        connect: .seconds(2), ack: .milliseconds(300), response: .seconds(1), eot: .milliseconds(200), administrative: .seconds(2))
    /// Generous: these tests check outcomes, not timing, and a loaded CI machine can stall a
    /// thread for a second or two.
    static let normal = POSLinkTimeouts(
        connect: .seconds(10), ack: .seconds(5), response: .seconds(20), eot: .milliseconds(500), administrative: .seconds(20))

    init(_ link: Link, timeouts: POSLinkTimeouts = normal, settings: PAXSimulator.Settings = .init(), currency: Currency = .usd) throws {
        simulator = PAXSimulator(settings: settings)
        let connection: TerminalEndpoint
        switch link {
        case .pty: connection = .serial(path: try simulator.startPTY(), baudRate: 9600)
        case .tcp: connection = .tcp(host: "127.0.0.1", port: try simulator.startTCP())
        case .http: connection = .http(host: "127.0.0.1", port: try simulator.startHTTP())
        }
        let handler = InMemoryLogHandler()
        logs = handler
        var logger = Logger(label: "test.pax") { _ in handler }
        logger.logLevel = .trace
        driver = PAXDriver(connection: connection, timeouts: timeouts, currency: currency, logger: logger)
    }

    func reference() -> PaymentReference { references.next() }

    func usd(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .usd) }

    /// Everything logged, as one string (for "never logged" checks).
    var loggedText: String { logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n") }

    func stop() { simulator.stop() }
}

final class ReferenceCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    private let prefix = String(UUID().uuidString.prefix(4)).uppercased().filter { $0.isLetter || $0.isNumber }

    func next() -> PaymentReference {
        let n = lock.withLock {
            value += 1; return value
        }
        return try! PaymentReference("R" + prefix + String(format: "%06d", n))
    }
}

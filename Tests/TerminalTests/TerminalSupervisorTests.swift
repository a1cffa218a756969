import Foundation
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Terminal
import TestSupport
import Testing

@Suite("Terminal supervisor: one transaction at a time, keepalive, reconnect")
struct TerminalSupervisorTests {
    static let timeouts = POSLinkTimeouts(
        connect: .seconds(2), ack: .milliseconds(300), response: .seconds(10), eot: .milliseconds(200), administrative: .seconds(2))

    /// Where the terminal is now; a test "re-plugs" it by changing this.
    final class Location: @unchecked Sendable {
        private let lock = NSLock()
        private var value: TerminalEndpoint
        init(_ value: TerminalEndpoint) { self.value = value }
        var connection: TerminalEndpoint {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    func supervisor(_ location: Location, clock: ManualClock = ManualClock()) -> TerminalSupervisor<ManualClock> {
        TerminalSupervisor(name: "front-desk", clock: clock, keepaliveInterval: .seconds(30), logger: Logger(label: "test")) {
            PAXDriver(connection: location.connection, timeouts: Self.timeouts, logger: Logger(label: "test"))
        }
    }

    func reference(_ n: Int) -> PaymentReference { try! PaymentReference(String(format: "SUP%06d%04d", n, Int.random(in: 0..<10000))) }

    @Test func aSecondTransactionWhileOneIsRunningIsBusy() async throws {
        let simulator = PAXSimulator()
        defer { simulator.stop() }
        let terminal = supervisor(Location(.tcp(host: "127.0.0.1", port: try simulator.startTCP())))
        simulator.inject(.waitForCancel)
        async let first = terminal.perform(TerminalRequest(.sale(Money(minorUnits: 100, currency: .usd)), reference: reference(1)))
        await simulator.waitUntilHolding()
        await #expect(throws: TerminalError.busy(terminal: "front-desk")) {
            try await terminal.perform(TerminalRequest(.sale(Money(minorUnits: 200, currency: .usd)), reference: reference(2)))
        }
        #expect(await terminal.isBusy)
        try await terminal.cancel()  // allowed while busy: that is what cancel is for
        #expect(try await first.outcome == .aborted)
        #expect(await !terminal.isBusy)
    }

    @Test func healthFollowsTheLastCheckAndRecoversAfterAFailure() async throws {
        let simulator = PAXSimulator()
        let port = try simulator.startTCP()
        let terminal = supervisor(Location(.tcp(host: "127.0.0.1", port: port)))
        guard case .ready(let status) = await terminal.checkHealth() else {
            Issue.record("a running terminal is ready")
            return
        }
        #expect(status.serialNumber == "SIM0001")

        simulator.stop()  // the terminal goes away
        guard case .unreachable = await terminal.checkHealth() else {
            Issue.record("a stopped terminal is unreachable")
            return
        }
        let revived = PAXSimulator()  // …and comes back on the same port
        defer { revived.stop() }
        _ = try revived.startTCP(port: port)
        guard case .ready = await terminal.checkHealth() else {
            Issue.record("one failure must not leave the terminal marked unreachable")
            return
        }
    }

    @Test func aReplugOnANewPathIsPickedUpByTheNextKeepalive() async throws {
        let first = PAXSimulator()
        let location = Location(.serial(path: try first.startPTY(), baudRate: 9600))
        let terminal = supervisor(location)
        guard case .ready = await terminal.checkHealth() else {
            Issue.record("ready on the first path")
            return
        }
        first.stop()
        guard case .unreachable = await terminal.checkHealth() else {
            Issue.record("unplugged")
            return
        }
        let second = PAXSimulator()
        defer { second.stop() }
        location.connection = .serial(path: try second.startPTY(), baudRate: 9600)  // what discovery would now report
        guard case .ready = await terminal.checkHealth() else {
            Issue.record("re-plugged terminal must come back by itself")
            return
        }
        let sale = try await terminal.perform(TerminalRequest(.sale(Money(minorUnits: 1234, currency: .usd)), reference: reference(3)))
        #expect(sale.outcome == .approved)
    }

    @Test func keepalivesRunOnTheInjectedClock() async throws {
        let simulator = PAXSimulator()
        defer { simulator.stop() }
        let clock = ManualClock()
        let terminal = supervisor(Location(.tcp(host: "127.0.0.1", port: try simulator.startTCP())), clock: clock)
        let keepalive = Task { await terminal.runKeepalive() }
        defer { keepalive.cancel() }
        for expected in 1...3 {
            await clock.waitForSleepers()
            #expect(simulator.terminal.initializeCount == expected - 1)
            clock.advance(by: .seconds(30))
            await clock.waitForSleepers()  // the keepalive ran and went back to sleep
            #expect(simulator.terminal.initializeCount == expected)
        }
        guard case .ready = await terminal.health else {
            Issue.record("keepalives keep the health current")
            return
        }
    }

    @Test func keepalivesNeverInterruptATransaction() async throws {
        let simulator = PAXSimulator()
        defer { simulator.stop() }
        let terminal = supervisor(Location(.tcp(host: "127.0.0.1", port: try simulator.startTCP())))
        simulator.inject(.waitForCancel)
        async let sale = terminal.perform(TerminalRequest(.sale(Money(minorUnits: 100, currency: .usd)), reference: reference(4)))
        await simulator.waitUntilHolding()
        #expect(await terminal.checkHealth() == .unknown)  // skipped: no A00 in the middle of a sale
        #expect(simulator.terminal.initializeCount == 0)
        try await terminal.cancel()
        _ = try await sale
    }

    /// A listing takes many exchanges: it waits its turn like a sale, and one in the middle of
    /// a customer's transaction is refused as busy rather than interleaved with it.
    @Test func theBatchIsListedExclusively() async throws {
        let simulator = PAXSimulator()
        defer { simulator.stop() }
        let terminal = supervisor(Location(.tcp(host: "127.0.0.1", port: try simulator.startTCP())))
        let reference = reference(5)
        _ = try await terminal.perform(TerminalRequest(.sale(Money(minorUnits: 2_500, currency: .usd)), reference: reference))
        #expect(try await terminal.batchRecords().map(\.reference) == [reference])
        simulator.inject(.waitForCancel)
        async let sale = terminal.perform(TerminalRequest(.sale(Money(minorUnits: 100, currency: .usd)), reference: self.reference(6)))
        await simulator.waitUntilHolding()
        await #expect(throws: TerminalError.busy(terminal: "front-desk")) { try await terminal.batchRecords() }
        try await terminal.cancel()
        _ = try await sale
    }
}

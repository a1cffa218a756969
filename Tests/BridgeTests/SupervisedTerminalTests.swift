import Bridge
import Foundation
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Terminal
import Testing

/// A configured terminal is reached through its supervisor, so "one transaction per terminal"
/// holds on TCP too: a second charge while a customer is still at the terminal is refused at
/// once (nothing sent, its intent abandoned), never queued behind the card.
@Suite("Payment service: one transaction per configured terminal", .timeLimit(.minutes(1)))
struct SupervisedTerminalTests {
    @Test func aSecondChargeWhileTheTerminalIsBusyIsRefusedAndChargesNothing() async throws {
        let h = try await PaymentServiceTests.Harness.start()
        let terminal = PAXSimulator()
        defer { terminal.stop() }
        let port = try terminal.startTCP()
        let settings = TerminalSettings(name: "counter", driver: "pax", connection: .tcp(host: "127.0.0.1", port: port))
        let directory = TerminalDirectory(
            terminals: [settings], families: ["pax": PAXDriver.factory(currency: .usd, logger: Logger(label: "t"))])
        let channel = try directory.channel(named: "counter", logger: Logger(label: "t"))

        terminal.inject(.waitForCancel)
        async let first = h.service.charge(
            .init(target: .invoiceNumber("1044")), on: channel, operator: "ada", idempotencyKey: try IdempotencyKey("first"))
        await terminal.waitUntilHolding()
        await #expect(throws: PaymentChannelError.self) {
            try await h.service.charge(
                .init(target: .invoiceNumber("1060")), on: channel, operator: "bob", idempotencyKey: try IdempotencyKey("second"))
        }
        let second = try #require(try h.ledger.payment(idempotencyKey: try IdempotencyKey("second")))
        #expect(second.state == .abandoned && second.capturedMinor == 0)
        try await PAXDriver(connection: .tcp(host: "127.0.0.1", port: port), logger: Logger(label: "t")).cancel()
        #expect(try await first.state == .declined)
        await h.stop()
    }
}

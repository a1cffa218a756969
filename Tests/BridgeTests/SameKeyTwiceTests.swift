import Bridge
import Foundation
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Testing

/// The same idempotency key run twice at once (a double click, two terminals of the same
/// script): the terminal must see one transaction, and the slower caller must get the faster
/// one's payment — not an error saying the attempt "already finished".
@Suite("Payment service: the same key twice at once", .timeLimit(.minutes(1)))
struct SameKeyTwiceTests {
    /// A clock that sleeps for real and says when it is first asked to: the moment the second
    /// caller starts waiting for the first one's answer.
    final class SignallingClock: Clock, @unchecked Sendable {
        typealias Instant = ContinuousClock.Instant
        private let base = ContinuousClock()
        let firstWait: AsyncStream<Void>
        private let signal: AsyncStream<Void>.Continuation

        init() { (firstWait, signal) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1)) }

        var now: Instant { base.now }
        var minimumResolution: Duration { base.minimumResolution }
        func sleep(until deadline: Instant, tolerance: Duration?) async throws {
            signal.yield()
            try await base.sleep(until: deadline, tolerance: tolerance)
        }
    }

    @Test func theSecondCallerWaitsForTheFirstOnesAnswer() async throws {
        let h = try await PaymentServiceTests.Harness.start()
        let terminal = PAXSimulator()
        let port = try terminal.startTCP()
        defer { terminal.stop() }
        let driver = PAXDriver(connection: .tcp(host: "127.0.0.1", port: port), logger: Logger(label: "t"))
        let channel = TerminalChannel(name: "counter-2", driver: driver)
        let clock = SignallingClock()
        let service = {
            var service = h.service
            service.waitClock = clock
            return service
        }()
        let order = PaymentServiceTests.Service.ChargeOrder(target: .invoiceNumber("1044"))
        let key = try IdempotencyKey("double-click")

        terminal.inject(.waitForCancel)  // the customer takes their time: the first call is held
        async let first = service.charge(order, on: channel, operator: "ada", idempotencyKey: key)
        await terminal.waitUntilHolding()
        async let second = service.charge(order, on: channel, operator: "ada", idempotencyKey: key)
        var waits = clock.firstWait.makeAsyncIterator()
        _ = await waits.next()  // the second caller is waiting on the ledger, not on the terminal
        try await driver.cancel()  // the customer walks away: the first call's answer is "cancelled"

        let (a, b) = try await (first, second)
        #expect(a.id == b.id && a.state == .declined && b.state == .declined)
        #expect(try h.ledger.attempts(paymentID: a.id).count == 1, "one request went to the terminal")
        #expect(try h.ledger.payments().count == 1)
        await h.stop()
    }
}

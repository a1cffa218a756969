import Bridge
import Foundation
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Terminal
import Testing

/// Live status of a charge at the counter: sent, waiting for the card once the terminal has
/// taken the request (its ACK on a real TCP link to the PAX simulator), then the recorded
/// answer; and a cancel, sent while the terminal waits, that ends the sale unpaid.
@Suite("Payment progress: live status and cancel", .timeLimit(.minutes(1)))
struct PaymentProgressTests {
    typealias Harness = PaymentServiceTests.Harness

    func watched(_ h: Harness, _ hub: PaymentProgressHub) -> PaymentServiceTests.Service {
        var service = h.service
        service.progress = { hub.publish($0) }
        return service
    }

    func stages(_ stream: AsyncStream<PaymentProgress>) async -> [PaymentProgress] {
        var seen: [PaymentProgress] = []
        for await event in stream { seen.append(event) }
        return seen
    }

    @Test func aSaleIsSentTakenByTheTerminalAndAnswered() async throws {
        let h = try await Harness.start()
        let hub = PaymentProgressHub()
        let watching = hub.progress(of: "live-1")
        let payment = try await watched(h, hub).charge(
            .init(target: .invoiceNumber("1044")), on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("live-1"))
        let seen = await stages(watching)
        #expect(seen.map(\.stage) == [.sent, .waitingForCard, .answered])
        #expect(seen.last?.state == .approved && seen.allSatisfy { $0.paymentID == payment.id && $0.channel == "front-desk" })

        // A page opened afterwards (a reload) is told the whole story at once.
        #expect(await stages(hub.progress(of: "live-1")).map(\.stage) == [.sent, .waitingForCard, .answered])
        await h.stop()
    }

    @Test func staffCancelWhileTheTerminalWaitsForTheCard() async throws {
        let h = try await Harness.start()
        let hub = PaymentProgressHub()
        h.terminal.inject(.waitForCancel)
        let watching = hub.progress(of: "cancel-1")
        let service = watched(h, hub)
        let channel = h.channel
        let charging = Task {
            try await service.charge(
                .init(target: .invoiceNumber("1044")), on: channel, operator: "ada", idempotencyKey: try IdempotencyKey("cancel-1"))
        }
        var iterator = watching.makeAsyncIterator()
        #expect(await iterator.next()?.stage == .sent)
        #expect(await iterator.next()?.stage == .waitingForCard)
        await h.terminal.waitUntilHolding()
        try await channel.cancelInProgress()
        let payment = try await charging.value
        #expect(payment.state == .declined && payment.capturedMinor == 0, "\(payment.state) \(payment.message ?? "")")
        let answer = await iterator.next()
        #expect(answer?.stage == .answered && answer?.state == .declined)
        #expect(await iterator.next() == nil, "nothing follows the answer")
        #expect(try h.writeBacks().isEmpty)
        await h.stop()
    }

    /// `serve` reaches configured terminals through their supervisor: the terminal's word must
    /// come through it too.
    @Test func theTerminalsWordPassesThroughItsSupervisor() async throws {
        let h = try await Harness.start()
        let hub = PaymentProgressHub()
        let terminal = PAXSimulator()
        defer { terminal.stop() }
        let port = try terminal.startTCP()
        let supervisor = TerminalSupervisor(name: "front-desk", clock: ContinuousClock(), logger: Logger(label: "t")) {
            PAXDriver(connection: .tcp(host: "127.0.0.1", port: port), logger: Logger(label: "t"))
        }
        let channel = TerminalChannel(name: "front-desk", driver: supervisor)
        let watching = hub.progress(of: "supervised-1")
        _ = try await watched(h, hub).charge(
            .init(target: .invoiceNumber("1044")), on: channel, operator: "ada", idempotencyKey: try IdempotencyKey("supervised-1"))
        #expect(await stages(watching).map(\.stage) == [.sent, .waitingForCard, .answered])
        await h.stop()
    }

    @Test func aRequestThatNeverArrivesEndsAsFailed() async throws {
        let h = try await Harness.start()
        let hub = PaymentProgressHub()
        h.terminal.stop()  // nothing listens: the request provably never arrives
        let watching = hub.progress(of: "down-1")
        await #expect(throws: PaymentChannelError.self) {
            try await watched(h, hub).charge(
                .init(target: .invoiceNumber("1044")), on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("down-1"))
        }
        let seen = await stages(watching)
        #expect(seen.map(\.stage) == [.sent, .failed] && seen.last?.message?.isEmpty == false)
        await h.stop()
    }

    @Test func theHubKeepsABoundedHistoryAndNeverDropsAWatchedCharge() async {
        let hub = PaymentProgressHub(capacity: 2)
        let watched = hub.progress(of: "a")
        for key in ["b", "c", "d"] {
            hub.publish(PaymentProgress(idempotencyKey: key, paymentID: 1, channel: "t", stage: .answered, state: .approved))
        }
        hub.publish(PaymentProgress(idempotencyKey: "a", paymentID: 9, channel: "t", stage: .answered, state: .declined))
        #expect(await stages(watched).map(\.paymentID) == [9], "a watched key outlives the limit")
        #expect(hub.history(of: "b").isEmpty, "the oldest unwatched key went first")
        #expect(hub.history(of: "d").map(\.stage) == [.answered])
    }

    @Test func aNewKeyIsKeptEvenWhenEveryOlderOneIsWatchedAndGoesOnceNobodyWatches() async {
        let hub = PaymentProgressHub(capacity: 1)
        let first = hub.progress(of: "a")
        hub.publish(PaymentProgress(idempotencyKey: "b", paymentID: 2, channel: "t", stage: .sent))
        #expect(hub.history(of: "b").map(\.stage) == [.sent], "over the limit, but the newest key is not dropped")
        hub.publish(PaymentProgress(idempotencyKey: "a", paymentID: 1, channel: "t", stage: .answered, state: .approved))
        #expect(await stages(first).map(\.paymentID) == [1])
        // Both finished or unwatched now: the next new key pushes out the oldest.
        hub.publish(PaymentProgress(idempotencyKey: "c", paymentID: 3, channel: "t", stage: .sent))
        #expect(hub.history(of: "a").isEmpty && hub.history(of: "b").isEmpty)
        #expect(hub.history(of: "c").map(\.stage) == [.sent])
    }
}

import Bridge
import Foundation
import Gateway
import Ledger
import Logging
import PosPlusCore
import Server
import ServiceLifecycle
import ServiceLifecycleTestKit
import TestSupport
import Testing

/// serve's background work as services on an injected clock: a pass at start, the next when
/// the clock reaches the interval (no test sleeps), and an end on graceful shutdown.
@Suite("serve's services")
struct ServeServicesTests {
    static func ledger() throws -> Ledger {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-services-\(UUID().uuidString)")
        return try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
    }

    @Test(.timeLimit(.minutes(1))) func theOutboxRunsAtStartThenWhenTheClockReachesItsInterval() async throws {
        let ledger = try Self.ledger()
        let done = Locked<[String]>([])
        let worker = OutboxWorker(
            ledger: ledger, handlers: ["note": { job in done.mutate { $0.append(job.dedupeKey) } }], logger: Logger(label: "t"))
        let clock = ManualClock()
        let (passes, passed) = AsyncStream<Int>.makeStream()
        let service = PeriodicService("outbox", every: .seconds(5), clock: clock) {
            passed.yield((try? await worker.runDueJobs()) ?? -1)
        }
        _ = try ledger.enqueue(NewOutboxJob(kind: "note", dedupeKey: "first", payload: "{}"))
        try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var reports = passes.makeAsyncIterator()
                #expect(await reports.next() == 1, "the pass at start")
                _ = try ledger.enqueue(NewOutboxJob(kind: "note", dedupeKey: "second", payload: "{}"))
                await clock.waitForSleepers()
                clock.advance(by: .seconds(4))
                #expect(done.value == ["first"], "not before its interval")
                clock.advance(by: .seconds(1))
                #expect(await reports.next() == 1, "the pass when the clock reaches five seconds")
                #expect(done.value == ["first", "second"])

                await clock.waitForSleepers()
                shutdown.triggerGracefulShutdown()
                try await group.waitForAll()  // the service returns: no pass after shutdown
            }
        }
        #expect(clock.sleeperCount == 0)
    }

    @Test(.timeLimit(.minutes(1))) func webhookProcessingStopsOnGracefulShutdown() async throws {
        let ledger = try Self.ledger()
        let inbox = StripeWebhookInbox(
            ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret("whsec_t")), logger: Logger(label: "t"))
        let processing = WebhookProcessing(inboxes: [inbox], logger: Logger(label: "t"), clock: ManualClock())
        try await testGracefulShutdown { shutdown in
            async let running: Void = processing.run()
            shutdown.triggerGracefulShutdown()
            try await running
        }
    }

    /// serve's whole group on a test clock: both periodic services do their pass at start and
    /// wait on the clock, and one graceful shutdown stops them and the HTTP server together.
    @Test(.timeLimit(.minutes(1))) func serveServicesRunAsOneGroupAndStopTogether() async throws {
        let app = try PosPlusAppTests.app()
        let clock = ManualClock()
        let services = try PosPlusServe.services(app: app, host: "127.0.0.1", port: 0, clock: clock)
        let group = ServiceGroup(configuration: .init(services: services, logger: Logger(label: "t")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await clock.waitForSleepers(3)  // the outbox's and recovery's next ticks, and reconcile's first run
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(clock.sleeperCount == 0)
    }
}

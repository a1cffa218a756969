import AsyncAlgorithms
import Foundation
import ServiceLifecycle

/// Background work done once at start and then every ``interval`` on an injected clock, until
/// graceful shutdown: the outbox, recovery. A pass in progress finishes (a payment being looked
/// up is recorded); the next one is not started. Ticks come from `AsyncTimerSequence`, so a
/// test moves its clock instead of sleeping, and no hand-made sleep loop exists.
public struct PeriodicService<C: Clock<Duration>>: Service {
    public let name: String
    public let interval: Duration
    public let clock: C
    private let pass: @Sendable () async -> Void

    /// `pass` handles its own errors (it logs them): one failed pass must not stop the service.
    public init(_ name: String, every interval: Duration, clock: C, pass: @escaping @Sendable () async -> Void) {
        self.name = name
        self.interval = interval
        self.clock = clock
        self.pass = pass
    }

    public func run() async throws {
        await pass()
        for await _ in AsyncTimerSequence(interval: interval, clock: clock).cancelOnGracefulShutdown() {
            await pass()
        }
    }
}

extension WebhookProcessing: Service {
    /// Processes stored webhooks until graceful shutdown, then finishes the pass under way.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await run(processed: { _ in })
        } onGracefulShutdown: {
            self.finish()
        }
    }
}

/// Background work done at set wall-clock times (serve's reconcile, daily at a set hour), not
/// at start: it sleeps on the injected clock until the next time `next` gives, runs, and
/// repeats, until graceful shutdown. The wall time comes from `now`, so a test drives both.
public struct ScheduledService<C: Clock<Duration>>: Service {
    public let name: String
    public let clock: C
    private let now: @Sendable () -> Date
    private let next: @Sendable (Date) -> Date
    private let pass: @Sendable () async -> Void

    /// `pass` handles its own errors (it logs them): one failed run must not stop the schedule.
    public init(
        _ name: String, clock: C, now: @escaping @Sendable () -> Date, next: @escaping @Sendable (Date) -> Date,
        pass: @escaping @Sendable () async -> Void
    ) {
        self.name = name
        self.clock = clock
        self.now = now
        self.next = next
        self.pass = pass
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            let wall = now()
            let wait = max(0, next(wall).timeIntervalSince(wall))
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: .milliseconds(Int64(wait * 1_000))) }
            } catch is CancellationError {
                return
            }
            await pass()
        }
    }
}

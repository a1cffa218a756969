import Bridge
import Foundation
import Logging
import Synchronization

/// Acts on stored webhooks after they were answered: each stored event wakes the loop, which
/// processes everything due (so a wake-up lost in a crash is made up by the next one, and by
/// the pass at start-up).
///
/// An event whose processing failed waits out a back-off in the ledger; after each pass the
/// loop keeps one timer, on the injected clock, for when the earliest such event is due, so it
/// is picked up then without a polling loop (and a test moves the clock instead of sleeping).
public final class WebhookProcessing: Sendable {
    private let inboxes: [any WebhookInbox]
    private let logger: Logger
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let sleep: @Sendable (Duration) async throws -> Void
    private let timer = Mutex<PassTimer?>(nil)

    /// The pending timer: when (by the ledger's clock) it wakes the loop, and the task waiting.
    private struct PassTimer {
        var due: Date
        var task: Task<Void, Never>
    }

    /// How soon to try again after a pass that failed (the ledger could not be read or written).
    static let retryAfterFailedPass: TimeInterval = 5

    public init(inboxes: [any WebhookInbox], logger: Logger, clock: some Clock<Duration> = ContinuousClock()) {
        self.inboxes = inboxes
        self.logger = logger
        self.sleep = { try await clock.sleep(for: $0) }
        (wakeUps, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass soon; never blocks the caller (the webhook's answer).
    public func notify() { wake.yield() }

    /// Processes what is due now, then once per wake-up (a new event, or the timer for a
    /// deferred one) until ``finish()``. `processed` hears how many events each pass finished
    /// (tests wait on it).
    public func run(processed: @Sendable (Int) -> Void) async {
        processed(pass())
        for await _ in wakeUps {
            processed(pass())
        }
        timer.withLock { $0?.task.cancel() }
    }

    /// Stops ``run(processed:)`` after its current pass.
    public func finish() { wake.finish() }

    private func pass() -> Int {
        var processed = 0
        var passFailed = false
        for inbox in inboxes {
            do { processed += try inbox.processPending() } catch {
                passFailed = true
                logger.error("processing stored webhooks failed; they stay pending", metadata: ["error": "\(error)"])
            }
        }
        scheduleNextPass(passFailed: passFailed)
        return processed
    }

    /// Sets the timer for the earliest deferred event; after a pass that failed, for a fixed
    /// short wait instead (events it could not mark would be due at once, and retrying at once
    /// would spin while the ledger is failing). A timer already set for that moment is kept:
    /// passes woken by new events do not restart it.
    private func scheduleNextPass(passFailed: Bool) {
        guard let inbox = inboxes.first else { return }
        let now = inbox.now()
        var due: Date? = passFailed ? now.addingTimeInterval(Self.retryAfterFailedPass) : nil
        for inbox in inboxes where !passFailed {
            do {
                if let next = try inbox.nextDue() { due = min(due ?? next, next) }
            } catch {
                logger.error("could not read when stored webhooks are due", metadata: ["error": "\(error)"])
                due = now.addingTimeInterval(Self.retryAfterFailedPass)
                break
            }
        }
        timer.withLock { current in
            guard let due else {
                current?.task.cancel()
                current = nil
                return
            }
            if current?.due == due { return }
            current?.task.cancel()
            let delay = Duration.milliseconds(Int64((max(0, due.timeIntervalSince(now)) * 1000).rounded(.up)))
            current = PassTimer(
                due: due,
                task: Task { [sleep, wake, weak self] in
                    do { try await sleep(delay) } catch { return }  // cancelled: replaced by a timer for another moment
                    self?.timer.withLock { if $0?.due == due { $0 = nil } }  // fired: the next pass sets a new one
                    wake.yield()
                })
        }
    }
}

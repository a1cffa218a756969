import Bridge
import Logging
import Synchronization

/// Acts on stored webhooks after they were answered: each stored event wakes the loop, which
/// processes everything due (so a wake-up lost in a crash is made up by the next one, and by
/// the pass at start-up).
///
/// An event whose processing failed waits out a back-off in the ledger; after each pass the
/// loop sets one timer, on the injected clock, for when the earliest such event is due, so it
/// is picked up then without a polling loop (and a test moves the clock instead of sleeping).
public final class WebhookProcessing: Sendable {
    private let inboxes: [any WebhookInbox]
    private let logger: Logger
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let sleep: @Sendable (Duration) async throws -> Void
    private let timer = Mutex<Task<Void, Never>?>(nil)

    /// How soon to try again after a pass that could not even read the ledger.
    static let retryAfterFailedPass: Duration = .seconds(5)

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
    public func run(processed: @Sendable (Int) -> Void = { _ in }) async {
        processed(pass())
        for await _ in wakeUps {
            processed(pass())
        }
        timer.withLock { $0?.cancel() }
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
        scheduleNextPass(after: passFailed ? Self.retryAfterFailedPass : nil)
        return processed
    }

    /// Sets the timer for the earliest deferred event, replacing the previous one; after a
    /// pass that failed, for `fallback` instead (events it could not mark would be due at once,
    /// and retrying at once would spin while the ledger is failing).
    private func scheduleNextPass(after fallback: Duration?) {
        var delay = fallback
        for inbox in inboxes where fallback == nil {
            do {
                if let seconds = try inbox.timeUntilNextDue() {
                    let wait = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
                    delay = min(delay ?? wait, wait)
                }
            } catch {
                logger.error("could not read when stored webhooks are due", metadata: ["error": "\(error)"])
                delay = min(delay ?? Self.retryAfterFailedPass, Self.retryAfterFailedPass)
            }
        }
        let next = delay.map { delay in
            Task { [sleep, wake] in
                do { try await sleep(delay) } catch { return }  // cancelled: a newer timer replaced it
                wake.yield()
            }
        }
        timer.withLock { current in
            current?.cancel()
            current = next
        }
    }
}

import Bridge
import Logging

/// Acts on stored webhooks after they were answered: each stored event wakes the loop, which
/// processes everything pending (so a wake-up lost in a crash is made up by the next one, and
/// by the pass at start-up).
public final class WebhookProcessing: Sendable {
    private let inboxes: [any WebhookInbox]
    private let logger: Logger
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(inboxes: [any WebhookInbox], logger: Logger) {
        self.inboxes = inboxes
        self.logger = logger
        (wakeUps, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass soon; never blocks the caller (the webhook's answer).
    public func notify() { wake.yield() }

    /// Processes what is pending now, then once per wake-up until the task is cancelled.
    /// `processed` hears how many events each pass handled (tests wait on it).
    public func run(processed: @Sendable (Int) -> Void = { _ in }) async {
        processed(pass())
        for await _ in wakeUps {
            processed(pass())
        }
    }

    /// Stops ``run(processed:)`` after its current pass.
    public func finish() { wake.finish() }

    private func pass() -> Int {
        var processed = 0
        for inbox in inboxes {
            do { processed += try inbox.processPending() } catch {
                logger.error("processing stored webhooks failed; they stay pending", metadata: ["error": "\(error)"])
            }
        }
        return processed
    }
}

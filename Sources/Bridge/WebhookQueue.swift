import Foundation
import Ledger
import Logging

/// A stored webhook that can never be acted on, however often it is tried: its body is not
/// JSON, or it lacks what recording it needs. The one error that ends an event as `failed`;
/// every other error is taken as passing and the event is tried again later.
public struct UnreadableWebhook: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// The one loop both inboxes run over their stored events, so the rule "an event is marked
/// processed only when it was" holds for every source.
///
/// Why: marking an event processed whatever happened (as earlier versions did, with a
/// "failed: …" result) turned a busy ledger or a crash mid-way into a paid link never recorded.
enum WebhookQueue {
    /// Acts on every due event from `source`: done → processed; ``UnreadableWebhook`` →
    /// failed (listed, retryable, audited); anything else → still pending, tried again after a
    /// back-off (``WebhookRetrySchedule``). Returns how many events were finished (processed
    /// or failed); deferred ones are not counted.
    static func processDue(
        source: String, ledger: Ledger, logger: Logger, actor: String, apply: (StoredWebhook) throws -> String
    ) throws -> Int {
        var finished = 0
        for stored in try ledger.pendingWebhooks(source: source) {
            do {
                let result = try apply(stored)
                try ledger.markWebhookProcessed(id: stored.id, result: result)
                finished += 1
            } catch let unreadable as UnreadableWebhook {
                logger.error(
                    "a stored webhook can never be read; it is marked failed (see `posplus webhooks list --failed`)",
                    metadata: ["webhook": "\(stored.id)", "source": "\(source)", "reason": "\(unreadable.reason)"])
                try ledger.failWebhook(id: stored.id, reason: unreadable.reason, actor: actor)
                finished += 1
            } catch {
                guard let next = try ledger.deferWebhook(id: stored.id, error: "\(error)") else { continue }
                logger.warning(
                    "processing a stored webhook failed; it stays pending and is tried again",
                    metadata: [
                        "webhook": "\(stored.id)", "source": "\(source)", "attempt": "\(stored.attempts + 1)", "error": "\(error)",
                        "next": "\(next)",
                    ])
            }
        }
        return finished
    }
}

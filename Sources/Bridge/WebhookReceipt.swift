/// What a webhook inbox did with a delivery it accepted.
public enum WebhookReceipt: Equatable, Sendable {
    /// Stored for processing under this row id.
    case stored(id: Int64)
    /// Seen before (a redelivery): acknowledged, not stored again.
    case duplicate
}

/// A store of received webhooks that can act on what it holds.
public protocol WebhookInbox: Sendable {
    /// Acts on every stored, unprocessed event; returns how many were processed.
    @discardableResult
    func processPending() throws -> Int
}

extension JobberWebhookInbox: WebhookInbox {}
extension StripeWebhookInbox: WebhookInbox {}

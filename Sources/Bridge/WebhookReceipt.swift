import Foundation
import Ledger

/// What a webhook inbox did with a delivery it accepted.
public enum WebhookReceipt: Equatable, Sendable {
    /// Stored for processing under this row id.
    case stored(id: Int64)
    /// Seen before (a redelivery): acknowledged, not stored again.
    case duplicate
}

/// A store of received webhooks that can act on what it holds.
public protocol WebhookInbox: Sendable {
    /// Where the inbox stores its events (and when deferred ones are due).
    var ledger: Ledger { get }

    /// The `source` its events are stored under ("stripe", "jobber").
    var source: String { get }

    /// Acts on every stored, unprocessed event; returns how many were processed.
    @discardableResult
    func processPending() throws -> Int
}

extension WebhookInbox {
    /// When the earliest of this inbox's events waiting out a back-off is due, by the ledger's
    /// clock; nil when none waits. Another source's events are not counted: with no inbox to
    /// take them, they would wake the service for nothing.
    public func nextDue() throws -> Date? {
        try ledger.nextWebhookDue(source: source)
    }

    /// The ledger's clock, which back-off times are measured by.
    public func now() -> Date { ledger.now() }
}

extension JobberWebhookInbox: WebhookInbox {}
extension StripeWebhookInbox: WebhookInbox {}

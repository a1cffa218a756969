import PosPlusCore

extension Ledger {
    /// The checks ``begin(_:idempotencyKey:operator:owedOnInvoice:splitTender:)`` makes on a
    /// void's or refund's original (it can take it, the refund fits what is left), alone and
    /// read-only: so a request that cannot run is refused before it waits for a manager, who
    /// would otherwise approve it only to see it refused. `begin` checks again in its own
    /// transaction, so nothing relies on this one.
    public func checkReversal(_ request: PaymentRequest) throws {
        try read { db in try PaymentRules.checkOriginal(for: request, in: db) }
    }
}

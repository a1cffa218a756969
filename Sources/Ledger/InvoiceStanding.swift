import GRDB
import PosPlusCore

/// What the ledger holds for one Jobber invoice: money collected that still stands, and charges
/// whose outcome is not known yet.
///
/// Jobber's public API records a posplus payment only as a note, so Jobber's balance can lag
/// behind this. The payment path charges at most Jobber's balance minus ``collected`` and
/// nothing while ``unresolved`` is not empty; ``Ledger/begin(_:idempotencyKey:operator:owedOnInvoice:)``
/// enforces both inside the transaction that records the intent, so two front desks charging
/// the same invoice at the same moment cannot both get through.
public struct InvoiceStanding: Equatable, Sendable {
    /// Charges on the invoice that stand (approved, settled, partly refunded, a bank debit
    /// still pending), with what each still holds (captured minus refunded).
    public var standing: [PaymentRecord]
    /// Charges recorded, sent or in doubt: their money may be moving right now.
    public var unresolved: [PaymentRecord]

    /// The money ``standing`` holds, or nil when there is none.
    public var collected: Money? {
        guard let first = standing.first, let currency = try? Currency(code: first.currency) else { return nil }
        let minor = standing.reduce(Int64(0)) { $0 + $1.capturedMinor - $1.refundedMinor }
        return minor > 0 ? Money(minorUnits: minor, currency: currency) : nil
    }

    static func load(invoiceID: String, in db: Database) throws -> InvoiceStanding {
        try load(Column("invoiceID") == invoiceID, in: db)
    }

    /// The same for a quote's deposit: what deposits on it hold, and which are unresolved.
    static func load(quoteID: String, in db: Database) throws -> InvoiceStanding {
        try load(Column("quoteID") == quoteID && Column("invoiceID") == nil, in: db)
    }

    private static func load(_ filter: SQLExpression, in db: Database) throws -> InvoiceStanding {
        let charges = try PaymentRecord.filter(filter).order(Column("id")).fetchAll(db).filter { $0.operation.collectsMoney }
        let holding: Set<PaymentState> = [.approved, .partiallyApproved, .partiallyRefunded, .settled, .pending]
        let moving: Set<PaymentState> = [.intended, .sent, .unknown]
        return InvoiceStanding(
            standing: charges.filter { holding.contains($0.state) }, unresolved: charges.filter { moving.contains($0.state) })
    }

    /// Throws unless `amount` fits: nothing unresolved, and `owed` (Jobber's balance) minus
    /// what is collected covers it. `invoice` is the number named in the error.
    public func check(_ amount: Money, owed: Money, invoice: String) throws(LedgerError) {
        if let busy = unresolved.first { throw .invoiceHasPaymentInFlight(invoice: invoice, paymentID: busy.id ?? 0) }
        let room = room(in: owed)
        guard amount.currency == owed.currency, amount.minorUnits <= room.minorUnits else {
            throw .invoiceOwedExceeded(invoice: invoice, requested: amount, collected: collected, room: room)
        }
    }

    /// The same for a deposit on quote `quote` (its number), with `owed` the deposit Jobber says
    /// is still to collect.
    public func checkDeposit(_ amount: Money, owed: Money, quote: String) throws(LedgerError) {
        if let busy = unresolved.first { throw .quoteHasPaymentInFlight(quote: quote, paymentID: busy.id ?? 0) }
        let room = room(in: owed)
        guard amount.currency == owed.currency, amount.minorUnits <= room.minorUnits else {
            throw .depositOwedExceeded(quote: quote, requested: amount, collected: collected, room: room)
        }
    }

    private func room(in owed: Money) -> Money {
        Money(minorUnits: max(0, owed.minorUnits - (collected?.minorUnits ?? 0)), currency: owed.currency)
    }
}

extension Ledger {
    /// The ledger's side of a Jobber invoice; see ``InvoiceStanding``.
    public func standing(invoiceID: String) throws -> InvoiceStanding {
        try read { db in try InvoiceStanding.load(invoiceID: invoiceID, in: db) }
    }

    /// The ledger's side of a quote's deposit; see ``InvoiceStanding``.
    public func standing(quoteID: String) throws -> InvoiceStanding {
        try read { db in try InvoiceStanding.load(quoteID: quoteID, in: db) }
    }
}

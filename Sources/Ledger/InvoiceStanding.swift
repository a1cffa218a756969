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
    /// Open card disputes on the invoice's payments: while one is open, nothing automated chases
    /// the invoice (no retry, link, reminder or instalment); a person answers the dispute.
    public var disputes: [DisputeRecord] = []

    /// "the client disputes payment 12 (dispute dp_1 of $120.00 (fraudulent, needs response))",
    /// or nil when no dispute is open.
    public var disputeReason: String? {
        disputes.first.map { "the client's bank disputes payment \($0.paymentID) (\($0.summary))" }
    }

    /// The money ``standing`` holds that Jobber's balance does not count yet, or nil when there
    /// is none. A payment a Jobber payment record already counts (recognised by reconcile) is
    /// left out: Jobber's balance has gone down by it already.
    public var collected: Money? {
        guard let currency = standing.first?.currency else { return nil }
        let minor = standing.filter { $0.jobberRecordID == nil }.reduce(Int64(0)) { $0 + $1.capturedMinor - $1.refundedMinor }
        return minor > 0 ? Money(minorUnits: minor, currency: currency) : nil
    }

    static func load(invoiceID: String, in db: Database) throws -> InvoiceStanding {
        var standing = try load(Column("invoiceID") == invoiceID, in: db)
        standing.disputes = try Ledger.openDisputes(Column("invoiceID") == invoiceID, in: db)
        return standing
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

    /// Throws unless `amount` fits: nothing unresolved, no money already taken unless
    /// `splitTender` says a further payment is meant, and `owed` (Jobber's balance) minus what
    /// is collected covers it. `invoice` is the number named in the error.
    ///
    /// Why a second payment must be declared: a charge whose answer was lost and then found
    /// approved (by a lookup, or by `posplus serve`'s recovery) looks to staff like a charge that
    /// failed, and the natural next step — charging again under a new key — would take the
    /// money twice whenever the amount still fits the balance (a partial payment, a deposit).
    public func check(_ amount: Money, owed: Money, invoice: String, splitTender: Bool) throws(LedgerError) {
        if let busy = unresolved.first { throw .invoiceHasPaymentInFlight(invoice: invoice, paymentID: busy.id) }
        if !splitTender, let earlier = standing.last { throw .alreadyPaid(EarlierPayment(earlier, on: "invoice #\(invoice)")) }
        let room = room(in: owed)
        guard amount.currency == owed.currency, amount.minorUnits <= room.minorUnits else {
            throw .invoiceOwedExceeded(invoice: invoice, requested: amount, collected: collected, room: room)
        }
    }

    /// The same for a deposit on quote `quote` (its number), with `owed` the deposit Jobber says
    /// is still to collect.
    public func checkDeposit(_ amount: Money, owed: Money, quote: String, splitTender: Bool) throws(LedgerError) {
        if let busy = unresolved.first { throw .quoteHasPaymentInFlight(quote: quote, paymentID: busy.id) }
        if !splitTender, let earlier = standing.last { throw .alreadyPaid(EarlierPayment(earlier, on: "quote #\(quote)")) }
        let room = room(in: owed)
        guard amount.currency == owed.currency, amount.minorUnits <= room.minorUnits else {
            throw .depositOwedExceeded(quote: quote, requested: amount, collected: collected, room: room)
        }
    }

    /// What is still owed when Jobber says `owed`: less the money posplus took that Jobber
    /// does not count yet (a link paid a minute ago, a counter sale whose note is queued).
    public func room(in owed: Money) -> Money {
        Money(minorUnits: max(0, owed.minorUnits - (collected?.minorUnits ?? 0)), currency: owed.currency)
    }
}

/// Money posplus already took on an invoice or quote, named so staff can tell whether a new
/// charge repeats it (then its key shows it) or is meant as a further payment.
public struct EarlierPayment: Equatable, Sendable {
    /// "invoice #1043" or "quote #78".
    public var target: String
    public var paymentID: Int64
    public var state: PaymentState
    /// What it still holds (captured minus refunded).
    public var amount: Money
    public var idempotencyKey: String

    /// `payment` as staff must be shown it: what it still holds, and the key that shows it.
    public init(_ payment: PaymentRecord, on target: String) {
        self.init(
            target: target, paymentID: payment.id, state: payment.state,
            amount: Money(minorUnits: payment.capturedMinor - payment.refundedMinor, currency: payment.currency),
            idempotencyKey: payment.idempotencyKey)
    }

    public init(target: String, paymentID: Int64, state: PaymentState, amount: Money, idempotencyKey: String) {
        self.target = target
        self.paymentID = paymentID
        self.state = state
        self.amount = amount
        self.idempotencyKey = idempotencyKey
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

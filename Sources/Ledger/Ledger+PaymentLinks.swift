import Foundation
import GRDB
import PosPlusCore

/// A payment link to record once the processor has created it.
public struct NewPaymentLink: Equatable, Sendable {
    public var processor: String
    public var processorLinkID: String
    public var url: String
    public var invoiceID: String?
    public var invoiceNumber: String?
    public var quoteID: String?
    public var quoteNumber: String?
    public var amount: Money
    public var reference: PaymentReference
    public var expiresAt: Date?

    public init(
        processor: String, processorLinkID: String, url: String, invoiceID: String? = nil, invoiceNumber: String? = nil,
        quoteID: String? = nil, quoteNumber: String? = nil, amount: Money, reference: PaymentReference, expiresAt: Date? = nil
    ) {
        self.processor = processor
        self.processorLinkID = processorLinkID
        self.url = url
        self.invoiceID = invoiceID
        self.invoiceNumber = invoiceNumber
        self.quoteID = quoteID
        self.quoteNumber = quoteNumber
        self.amount = amount
        self.reference = reference
        self.expiresAt = expiresAt
    }
}

extension Ledger {
    /// Records a link sent for an invoice or a quote deposit, and queues its delivery (the job
    /// `deliver` makes for the new record) in the same transaction: a recorded link is never left
    /// without its message.
    @discardableResult
    public func recordLink(_ new: NewPaymentLink, actor: String, deliver: (PaymentLinkRecord) -> NewOutboxJob? = { _ in nil }) throws
        -> PaymentLinkRecord
    {
        guard new.invoiceID != nil || new.quoteID != nil else {
            throw LedgerError.invalidRequest("A payment link must be for an invoice or a quote.")
        }
        guard new.amount.isPositive else { throw LedgerError.invalidRequest("A payment link must ask for more than zero.") }
        return try write { db in
            let time = now()
            let record = try PaymentLinkRecord.Draft(
                processor: new.processor, processorLinkID: new.processorLinkID, url: new.url, invoiceID: new.invoiceID,
                invoiceNumber: new.invoiceNumber, quoteID: new.quoteID, quoteNumber: new.quoteNumber, currency: new.amount.currency,
                amountMinor: new.amount.minorUnits, state: .open, reference: new.reference.rawValue, createdAt: time, updatedAt: time,
                expiresAt: new.expiresAt, sentBy: actor
            ).insertAndFetch(db, as: PaymentLinkRecord.self)
            try AuditChain.append(
                db, kind: "link.create", paymentID: nil, actor: actor,
                detail: [
                    "link": .integer(record.id), "invoice": AuditValue(new.invoiceNumber ?? new.invoiceID),
                    "amount": .integer(new.amount.minorUnits), "reference": .text(new.reference.rawValue),
                    "quote": AuditValue(new.quoteNumber ?? new.quoteID),
                ],
                at: time)
            if let job = deliver(record) { _ = try Ledger.enqueue(job, paymentID: nil, in: db, at: time, actor: actor) }
            return record
        }
    }

    public func link(id: Int64) throws -> PaymentLinkRecord? {
        try read { db in try PaymentLinkRecord.fetchOne(db, key: id) }
    }

    /// The link a processor's webhook names.
    public func link(processor: String, processorLinkID: String) throws -> PaymentLinkRecord? {
        try read { db in
            try PaymentLinkRecord.filter(Column("processor") == processor && Column("processorLinkID") == processorLinkID).fetchOne(db)
        }
    }

    /// The link whose reference a processor payment carries in its metadata.
    public func link(reference: String) throws -> PaymentLinkRecord? {
        try read { db in try PaymentLinkRecord.filter(Column("reference") == reference).fetchOne(db) }
    }

    /// Newest first; only open ones when `openOnly`; only those `sentBy` sent (whatever the
    /// letter case, as staff names are compared) when given.
    public func links(openOnly: Bool = false, sentBy: String? = nil, limit: Int = 100) throws -> [PaymentLinkRecord] {
        try read { db in
            var request = PaymentLinkRecord.order(Column("id").desc).limit(limit)
            if openOnly { request = request.filter(Column("state") == PaymentLinkRecord.State.open.rawValue) }
            if let sentBy { request = request.filter(Column("sentBy").collating(.nocase) == sentBy) }
            return try request.fetchAll(db)
        }
    }

    /// Moves an open link to paid (with the payment it produced), cancelled or expired.
    /// Closing a link that is already in that state is harmless; any other move is refused.
    @discardableResult
    public func closeLink(id: Int64, as state: PaymentLinkRecord.State, paymentID: Int64? = nil, actor: String) throws -> PaymentLinkRecord
    {
        guard state != .open else { throw LedgerError.invalidRequest("A link cannot be reopened; send a new one.") }
        return try write { db in
            guard var link = try PaymentLinkRecord.fetchOne(db, key: id) else { throw LedgerError.linkNotFound("\(id)") }
            if link.state == state { return link }
            guard link.state == .open else {
                throw LedgerError.invalidRequest("Link \(id) is already \(link.state.rawValue); it cannot become \(state.rawValue).")
            }
            if state == .paid && paymentID == nil { throw LedgerError.invalidRequest("A paid link must name its payment.") }
            let time = now()
            link.state = state
            link.paymentID = paymentID
            link.updatedAt = time
            try link.update(db)
            try AuditChain.append(
                db, kind: "link.\(state.rawValue)", paymentID: paymentID, actor: actor, detail: ["link": .integer(id)], at: time)
            if state == .paid { try settleInstalment(linkID: id, paymentID: paymentID, actor: actor, in: db, at: time) }
            return link
        }
    }
}

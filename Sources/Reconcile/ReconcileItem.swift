import Foundation
import PosPlusCore

/// The classes of difference a bookkeeper needs to tell apart (reconcile.md §2): what is only
/// *expected* (a side has not caught up yet) kept apart from what is *wrong*.
public enum ReconcileClass: String, Sendable, Equatable, Codable, CaseIterable {
    case matched
    case expected
    case missingInLedger = "missing-in-ledger"
    case missingWriteBack = "missing-write-back"
    case missingAtProcessor = "missing-at-processor"
    case amountMismatch = "amount-mismatch"
    case currencyMismatch = "currency-mismatch"
    case splitMismatch = "split-mismatch"
    case duplicate
    case reversedOutside = "reversed-outside"
    case paidElsewhere = "paid-elsewhere"

    /// Whether an item of this class needs a person (or `--apply`) before the day is clean.
    public var needsReview: Bool { self != .matched && self != .expected }

    /// One line for the report: what the class means.
    public var meaning: String {
        switch self {
        case .matched: "the same money on every side that should have it"
        case .expected: "a side has not caught up yet and is inside its deadline"
        case .missingInLedger: "the processor or a terminal took money posplus has no record of"
        case .missingWriteBack: "posplus recorded the money; Jobber shows no note or record of it"
        case .missingAtProcessor: "posplus says approved; the processor or terminal has nothing"
        case .amountMismatch: "the sides disagree on the amount"
        case .currencyMismatch: "the sides disagree on the currency"
        case .splitMismatch: "one side's pieces (split refunds, several captures) do not add up to the other's"
        case .duplicate: "the same money counted twice"
        case .reversedOutside: "refunded or returned at the processor, not through posplus"
        case .paidElsewhere: "the invoice is settled in Jobber while a posplus link is still open"
        }
    }
}

/// Which side a record came from.
public enum ReconcileSide: String, Sendable, Equatable, Codable, CaseIterable {
    case ledger, processor, terminal, jobber
}

/// One side's record behind an item: enough to find it there again.
public struct SideRecord: Sendable, Equatable, Codable {
    public var side: ReconcileSide
    public var id: String
    public var amount: Money?
    public var date: Date?
    public var detail: String?

    public init(side: ReconcileSide, id: String, amount: Money?, date: Date?, detail: String? = nil) {
        self.side = side
        self.id = id
        self.amount = amount
        self.date = date
        self.detail = detail
    }
}

/// The only things `--apply` does (reconcile.md §2). It never charges, refunds or voids.
public enum ReconcileAction: Sendable, Equatable, Codable {
    /// Record a payment the processor took and the ledger lacks, through the payment path.
    case adopt(processorPaymentID: String)
    /// Queue the Jobber write-back of a recorded payment (exactly once).
    case queueWriteBack(paymentID: Int64)
    /// Deactivate an open payment link on an invoice settled elsewhere.
    case deactivateLink(linkID: Int64)
    /// Record the refunds the processor made outside posplus against this payment (its refund
    /// ceiling falls; a Jobber note is queued), through the payment path.
    case recordReversals(paymentID: Int64)
    /// Note in the ledger that a Jobber payment record already counts this payment, so the
    /// invoice's room to charge stops subtracting it a second time.
    case recognizeJobberRecord(paymentID: Int64, recordID: String)
    /// Deactivate a link at the processor that posplus made but does not hold open.
    case deactivateProcessorLink(id: String)
    /// Settle a bank debit: the processor reports it cleared, or its clearing window passed
    /// with no return. Its Jobber note, which waited for this, is queued.
    case settleBankDebit(paymentID: Int64)

    public var summary: String {
        switch self {
        case .adopt(let id): "adopt processor payment \(id) into the ledger"
        case .queueWriteBack(let id): "queue the Jobber write-back of payment \(id)"
        case .deactivateLink(let id): "deactivate payment link \(id)"
        case .recordReversals(let id): "record the refunds made at the processor against payment \(id)"
        case .recognizeJobberRecord(let id, let record): "note that Jobber's record \(record) counts payment \(id)"
        case .deactivateProcessorLink(let id): "deactivate link \(id) at the processor"
        case .settleBankDebit(let id): "settle bank debit \(id) and queue its Jobber note"
        }
    }
}

/// One difference (or one match), with the records on each side and what to do about it.
public struct ReconcileItem: Sendable, Equatable, Codable {
    /// Stable across runs: the same difference found again is the same item.
    public var key: String
    public var kind: ReconcileClass
    public var reference: String?
    public var invoiceID: String?
    /// The invoice's number as staff know it, where a side gave it.
    public var invoiceNumber: String? = nil
    public var records: [SideRecord]
    /// How far apart the sides are, to the cent (nil where amounts are not what differs).
    public var difference: Money?
    public var explanation: String
    /// What `--apply` does about it; nil when only a person can decide.
    public var action: ReconcileAction?

    public init(
        key: String, kind: ReconcileClass, reference: String?, invoiceID: String?, records: [SideRecord], difference: Money? = nil,
        explanation: String, action: ReconcileAction? = nil
    ) {
        self.key = key
        self.kind = kind
        self.reference = reference
        self.invoiceID = invoiceID
        self.records = records
        self.difference = difference
        self.explanation = explanation
        self.action = action
    }
}

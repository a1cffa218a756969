import Foundation
import GRDB
import PosPlusCore

/// Card disputes (chargebacks): recorded from the processor's events, each change audited on
/// the payment it disputes, with the follow-up work queued in the same transaction.
extension Ledger {
    /// What ``recordDispute(_:actor:jobs:)`` did.
    public enum DisputeChange: Equatable, Sendable {
        /// First heard of: `jobs` were queued with it.
        case opened(DisputeRecord)
        /// Known already; its status moved (closed, or under review).
        case updated(DisputeRecord, from: String)
        /// Known already with this status: a redelivery or an event that changes nothing here.
        case unchanged(DisputeRecord)

        public var record: DisputeRecord {
            switch self {
            case .opened(let record), .updated(let record, _), .unchanged(let record): record
            }
        }
    }

    /// Records `reported`, or moves the known dispute to its new status. `jobs` are queued only
    /// when the dispute is first recorded open: they stop whatever chases the invoice.
    /// The reason and status are the processor's machine words; they are cleaned of anything
    /// card-shaped and bounded before they are kept, never refused (the dispute must be recorded).
    @discardableResult
    public func recordDispute(_ reported: ReportedDispute, actor: String, jobs: (PaymentRecord) -> [NewOutboxJob]) throws
        -> DisputeChange
    {
        try write { db in
            let payment = try PaymentRules.fetchPayment(reported.paymentID, in: db)
            let time = now()
            let status = Self.disputeWord(reported.status)
            let disputeID = Self.disputeWord(reported.processorDisputeID)
            let existing = try DisputeRecord.filter(
                Column("processor") == reported.processor && Column("processorDisputeID") == disputeID
            ).fetchOne(db)
            if var known = existing {
                // A decided dispute stays decided: events arrive in any order, and an older
                // "needs response" must not reopen a dispute already won or lost.
                guard known.status != status, known.isOpen else { return .unchanged(known) }
                let before = known.status
                known.status = status
                known.isOpen = reported.isOpen
                known.updatedAt = time
                if !known.isOpen, known.closedAt == nil { known.closedAt = time }
                try known.update(db)
                try Self.auditDispute(known, kind: "payment.dispute.update", actor: actor, in: db, at: time)
                return .updated(known, from: before)
            }
            let record = try DisputeRecord.Draft(
                processor: reported.processor, processorDisputeID: disputeID,
                paymentID: payment.id, invoiceID: payment.invoiceID, clientID: payment.clientID, currency: reported.amount.currency,
                amountMinor: reported.amount.minorUnits, reason: Self.disputeWord(reported.reason), status: status,
                isOpen: reported.isOpen, openedAt: time, updatedAt: time, closedAt: reported.isOpen ? nil : time
            ).insertAndFetch(db, as: DisputeRecord.self)
            try Self.auditDispute(record, kind: "payment.dispute", actor: actor, in: db, at: time)
            if record.isOpen { try Self.enqueueFollowUps(jobs(payment), of: payment, in: db, actor: actor, at: time) }
            return .opened(record)
        }
    }

    /// The disputes of payment `id`, oldest first.
    public func disputes(paymentID id: Int64) throws -> [DisputeRecord] {
        try read { db in try DisputeRecord.filter(Column("paymentID") == id).order(Column("id")).fetchAll(db) }
    }

    /// The Jobber ids of the invoices with a dispute open now: Jobber has no disputes, so the
    /// history behind plans and risk reads them here.
    public func openDisputeInvoiceIDs() throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT invoiceID FROM dispute WHERE isOpen AND invoiceID IS NOT NULL"))
        }
    }

    /// Every dispute, newest first (open ones only when `openOnly`), at most `limit`.
    public func disputes(openOnly: Bool, limit: Int = 200) throws -> [DisputeRecord] {
        try read { db in
            let all = DisputeRecord.order(Column("id").desc).limit(limit)
            return try (openOnly ? all.filter(Column("isOpen") == true) : all).fetchAll(db)
        }
    }

    static func openDisputes(_ filter: SQLExpression, in db: Database) throws -> [DisputeRecord] {
        try DisputeRecord.filter(filter && Column("isOpen") == true).order(Column("id")).fetchAll(db)
    }

    private static func auditDispute(_ record: DisputeRecord, kind: String, actor: String, in db: Database, at time: Date) throws {
        try AuditChain.append(
            db, kind: kind, paymentID: record.paymentID, actor: actor,
            detail: [
                "dispute": .text(record.processorDisputeID), "amountMinor": .integer(record.amountMinor),
                "reason": .text(record.reason), "status": .text(record.status), "open": .text(record.isOpen ? "yes" : "no"),
            ], at: time)
    }

    /// A processor's word kept as it came, but without anything card-shaped and at most 64
    /// characters: enough for any status, reason or id, and never a reason to refuse the record.
    private static func disputeWord(_ word: String) -> String {
        String((CardDataScrubber.scrub(word) ?? "").prefix(64))
    }
}

extension PaymentRules {
    /// The disputes a void or refund of `originalID` must respect: refused while one is open
    /// (the cardholder's bank is taking the money back already; a refund now would return it
    /// twice), and the lost ones returned, whose money no refund may return again.
    static func chargedBack(_ originalID: Int64, by operation: PaymentOperation, in db: Database) throws -> [DisputeRecord] {
        let disputes = try DisputeRecord.filter(Column("paymentID") == originalID).order(Column("id")).fetchAll(db)
        if let open = disputes.first(where: \.isOpen) {
            throw LedgerError.invalidRequest(
                "Payment \(originalID) is disputed by the cardholder's bank (\(open.summary)); it cannot be "
                    + "\(operation == .void ? "voided" : "refunded") while the dispute is open. Answer or accept the dispute in "
                    + "\(open.processor)'s dashboard; the money goes back through the dispute if it is lost.")
        }
        return disputes.filter { $0.status == "lost" }
    }

    /// A void or refund that would return money a lost dispute already gave back.
    static func chargedBackRefusal(_ originalID: Int64, _ lost: DisputeRecord, room: Money?) -> LedgerError {
        let left = room.map { $0.isPositive ? "at most \($0.formatted) can still be refunded" : "nothing is left to refund" }
        return .invalidRequest(
            "Payment \(originalID) was charged back: \(lost.amount.formatted) went back to the cardholder when "
                + "\(lost.processorDisputeID) was lost, so \(left ?? "it cannot be voided")."
        )
    }
}

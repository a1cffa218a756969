import Foundation
import GRDB
import PosPlusCore

extension Ledger {
    /// The payment with this ledger id.
    public func payment(id: Int64) throws -> PaymentRecord? {
        try read { db in try PaymentRecord.fetchOne(db, key: id) }
    }

    /// The payment recorded under an idempotency key.
    public func payment(idempotencyKey: IdempotencyKey) throws -> PaymentRecord? {
        try read { db in try PaymentRecord.filter(Column("idempotencyKey") == idempotencyKey.rawValue).fetchOne(db) }
    }

    /// The payment one of whose attempts carried `reference` (what a terminal report echoes).
    public func payment(reference: PaymentReference) throws -> PaymentRecord? {
        try read { db in
            try PaymentRecord.fetchOne(
                db, sql: "SELECT payment.* FROM payment JOIN attempt ON attempt.paymentID = payment.id WHERE attempt.reference = ?",
                arguments: [reference.rawValue])
        }
    }

    /// The payment the processor knows by `processorReference` (a Stripe PaymentIntent id).
    public func payment(processorReference: String) throws -> PaymentRecord? {
        try read { db in try PaymentRecord.filter(Column("processorReference") == processorReference).order(Column("id").desc).fetchOne(db)
        }
    }

    /// Newest first. `states` narrows the list; `limit` bounds it.
    public func payments(states: Set<PaymentState>? = nil, limit: Int = 100) throws -> [PaymentRecord] {
        try read { db in
            var request = PaymentRecord.order(Column("id").desc).limit(limit)
            if let states { request = request.filter(states.map(\.rawValue).contains(Column("state"))) }
            return try request.fetchAll(db)
        }
    }

    /// Payments whose outcome is not known yet, oldest first: what Recovery must resolve
    /// before the same invoice may be charged again.
    public func inDoubtPayments() throws -> [PaymentRecord] {
        try read { db in
            try PaymentRecord.filter([PaymentState.sent, .unknown].map(\.rawValue).contains(Column("state")))
                .order(Column("id")).fetchAll(db)
        }
    }

    /// Every payment recorded for a Jobber invoice (charges and their reversals), oldest first.
    public func payments(invoiceID: String) throws -> [PaymentRecord] {
        try read { db in try PaymentRecord.filter(Column("invoiceID") == invoiceID).order(Column("id")).fetchAll(db) }
    }

    /// A payment's attempts, first to last.
    public func attempts(paymentID: Int64) throws -> [AttemptRecord] {
        try read { db in try AttemptRecord.filter(Column("paymentID") == paymentID).order(Column("number")).fetchAll(db) }
    }

    /// The voids and refunds recorded against a payment.
    public func reversals(of paymentID: Int64) throws -> [PaymentRecord] {
        try read { db in try PaymentRecord.filter(Column("originalPaymentID") == paymentID).order(Column("id")).fetchAll(db) }
    }

    /// Audit events, oldest first; only one payment's when `paymentID` is given.
    public func auditEvents(paymentID: Int64? = nil) throws -> [AuditEventRecord] {
        try read { db in
            var request = AuditEventRecord.order(Column("seq"))
            if let paymentID { request = request.filter(Column("paymentID") == paymentID) }
            return try request.fetchAll(db)
        }
    }

    /// Re-computes every MAC in the audit log with this ledger's key and reports the first
    /// break, if any.
    ///
    /// - Parameter expectedHead: a head printed by an earlier verify and kept elsewhere: the log
    ///   must still hold that event with that MAC, so cutting it back (and rewriting `auditHead`
    ///   to match) is caught too.
    public func verifyAuditChain(expectedHead: AuditHead? = nil) throws -> AuditVerification {
        try read { db in
            let keyCheck = try String.fetchOne(db, sql: "SELECT keyCheck FROM ledgerKey WHERE id = 1")
            let result = try AuditChain.verify(db, mac: auditMAC, keyCheck: keyCheck, presentedCheck: key.check)
            guard result.isIntact, let expectedHead else { return result }
            let stored = try String.fetchOne(db, sql: "SELECT hash FROM auditEvent WHERE seq = ?", arguments: [expectedHead.seq])
            if stored == nil, expectedHead.seq > 0 {
                return .broken(
                    seq: expectedHead.seq, reason: "event \(expectedHead.seq), the head kept elsewhere, is gone; the log was cut back")
            }
            if let stored, stored != expectedHead.mac {
                return .broken(seq: expectedHead.seq, reason: "event \(expectedHead.seq) is not the one the head kept elsewhere names")
            }
            return result
        }
    }

    /// The newest audit event's seq and MAC, to keep somewhere the ledger is not.
    public func auditChainHead() throws -> AuditHead {
        try read { db in try AuditChain.head(db) }
    }

    /// Appends an event that is not a payment transition (configuration change, operator note).
    public func recordAuditEvent(kind: String, paymentID: Int64? = nil, actor: String, detail: [String: AuditValue]) throws {
        try write { db in _ = try AuditChain.append(db, kind: kind, paymentID: paymentID, actor: actor, detail: detail, at: now()) }
    }
}

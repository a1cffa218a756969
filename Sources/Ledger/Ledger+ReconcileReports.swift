import Foundation
import GRDB

/// A kept reconcile report: when it ran, who ran it, and the report as JSON.
public struct ReconcileReportRecord: Equatable, Sendable {
    public var id: Int64
    public var ranAt: Date
    public var actor: String
    /// How many safe actions `--apply` (or `auto_apply`) performed.
    public var applied: Int
    /// How many differences were left for a person.
    public var toReview: Int
    public var report: String
}

extension Ledger {
    /// How many reports are kept; older ones are dropped as new ones arrive.
    public static let keptReconcileReports = 60

    /// Keeps a run's report (the newest ``keptReconcileReports`` are kept).
    public func keepReconcileReport(_ json: String, applied: Int, toReview: Int, actor: String) throws {
        try write { db in
            try db.execute(
                sql: "INSERT INTO reconcileReport (ranAt, actor, applied, toReview, report) VALUES (?, ?, ?, ?, ?)",
                arguments: [DatabaseTime.text(now()), actor, applied, toReview, json])
            try db.execute(
                sql: "DELETE FROM reconcileReport WHERE id <= (SELECT MAX(id) FROM reconcileReport) - ?",
                arguments: [Self.keptReconcileReports])
        }
    }

    /// The newest kept report, or nil before the first run.
    public func lastReconcileReport() throws -> ReconcileReportRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM reconcileReport ORDER BY id DESC LIMIT 1").map { row in
                ReconcileReportRecord(
                    id: row["id"], ranAt: row["ranAt"], actor: row["actor"], applied: row["applied"], toReview: row["toReview"],
                    report: row["report"])
            }
        }
    }
}

extension Ledger {
    /// Records that Jobber's payment record `recordID` already counts payment `paymentID`'s
    /// money (audited); its invoice's room to charge no longer subtracts it twice.
    public func recognizeJobberRecord(paymentID: Int64, recordID: String, actor: String) throws {
        try write { db in
            var payment = try PaymentRules.fetchPayment(paymentID, in: db)
            guard payment.jobberRecordID != recordID else { return }
            payment.jobberRecordID = recordID
            try payment.update(db)
            try AuditChain.append(
                db, kind: "payment.recordedInJobber", paymentID: paymentID, actor: actor, detail: ["record": .text(recordID)], at: now())
        }
    }
}

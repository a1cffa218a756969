import GRDB
import PosPlusCore

/// Hooks for `Benchmarks/LedgerBenchmarks` only: a scratch table outside the ledger's schema,
/// to measure the cost of a durable commit through the same pool with nothing of ours in it.
extension Ledger {
    public func benchmarkCreateScratchTable() throws {
        try write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS benchmarkScratch (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        }
    }

    public func benchmarkInsertScratchRow(_ value: Int) throws {
        try write { db in try db.cachedStatement(sql: "INSERT INTO benchmarkScratch (value) VALUES (?)").execute(arguments: [value]) }
    }
}

extension Ledger {
    /// `begin`'s writes taken apart: the payment row alone, or with its audit event.
    public func benchmarkBeginParts(_ request: PaymentRequest, key: String, withAudit: Bool) throws {
        try write { db in
            let time = now()
            let record = try PaymentRecord.insertIntent(request, idempotencyKey: key, state: .intended, operator: "bench", at: time, in: db)
            if withAudit {
                try AuditChain.append(
                    db, kind: "payment.begin", paymentID: record.id, actor: "bench",
                    detail: ["amount": .integer(request.amount.minorUnits)], at: time)
            }
        }
    }
}

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
            var record = PaymentRecord(
                id: nil, idempotencyKey: key, requestFingerprint: request.fingerprint, operation: request.operation, state: .intended,
                currency: request.amount.currency, requestedMinor: request.amount.minorUnits, capturedMinor: 0, refundedMinor: 0,
                intent: request.intent, invoiceID: request.invoiceID, invoiceNumber: request.invoiceNumber, quoteID: nil, clientID: nil,
                originalPaymentID: nil, channel: request.channel, operator: "bench", cardBrand: nil, cardLast4: nil, authCode: nil,
                processorReference: nil, message: nil, createdAt: time, updatedAt: time)
            try PaymentRecord.insertIntent(&record, in: db)
            if withAudit {
                try AuditChain.append(
                    db, kind: "payment.begin", paymentID: record.id, actor: "bench",
                    detail: ["amount": .integer(request.amount.minorUnits)], at: time)
            }
        }
    }
}

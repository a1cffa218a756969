import GRDB

extension Ledger {
    /// Payments whose receipt is ready for a person to send (`receipt.ready`, written in
    /// `receipts.mode = suggest`) and that nobody has sent or asked to send yet, oldest first.
    public func receiptsWaiting(limit: Int = 100) throws -> [PaymentRecord] {
        try read { db in
            try PaymentRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM payment
                    WHERE id IN (SELECT paymentID FROM auditEvent WHERE kind = 'receipt.ready')
                      AND id NOT IN (SELECT paymentID FROM auditEvent
                                     WHERE kind IN ('receipt.request', 'receipt.sent') AND paymentID IS NOT NULL)
                    ORDER BY id LIMIT ?
                    """, arguments: [limit])
        }
    }
}

import Foundation
import GRDB
import PosPlusCore

/// What the ledger holds in one terminal's open batch: the card money that moved there since
/// its last close, in the terminal's own terms (charges and refunds, voided ones left out).
public struct LedgerBatch: Equatable, Sendable {
    /// Charges and refunds in the batch (a voided charge and its void are not).
    public var count: Int
    /// Charges minus refunds.
    public var total: Money
    /// Every payment row the close marks, voids included.
    public var paymentIDs: [Int64]
}

extension Ledger {
    /// The open batch of `channel` as the ledger sees it; see ``closeBatch(channel:currency:actor:)``.
    public func openBatch(channel: String, currency: Currency) throws -> LedgerBatch {
        try read { db in try Self.openBatch(channel: channel, currency: currency, in: db).batch }
    }

    /// Marks everything in `channel`'s open batch as closed now, settling the card payments that
    /// can settle (a settled payment can no longer be voided, only refunded), in one
    /// transaction, after the terminal has closed its batch. Returns what was closed.
    @discardableResult
    public func closeBatch(channel: String, currency: Currency, actor: String) throws -> LedgerBatch {
        try write { db in
            let (batch, rows) = try Self.openBatch(channel: channel, currency: currency, in: db)
            let time = now()
            for var payment in rows {
                if payment.operation.collectsMoney, [.approved, .partiallyApproved, .partiallyRefunded].contains(payment.state) {
                    payment.adopt(try PaymentRules.apply(.settle, to: payment), at: time)
                }
                payment.batchClosedAt = time
                try payment.update(db)
            }
            try AuditChain.append(
                db, kind: "batch.close", paymentID: nil, actor: actor,
                detail: [
                    "channel": .text(channel), "count": .integer(Int64(batch.count)), "total": .integer(batch.total.minorUnits),
                    "payments": .integer(Int64(rows.count)),
                ], at: time)
            return batch
        }
    }

    private static func openBatch(channel: String, currency: Currency, in db: Database) throws -> (
        batch: LedgerBatch, rows: [PaymentRecord]
    ) {
        let finished: [PaymentState] = [.approved, .partiallyApproved, .partiallyRefunded, .refunded, .voided]
        let rows = try PaymentRecord.filter(Column("channel") == channel && Column("batchClosedAt") == nil)
            .filter(finished.map(\.rawValue).contains(Column("state")))
            .filter(Column("currency") == currency.code)
            .order(Column("id")).fetchAll(db)
            .filter { $0.operation.rail == .card && $0.operation != .tokenize }
        let charges = rows.filter { $0.operation.collectsMoney && $0.state != .voided }
        let refunds = rows.filter { $0.operation == .refund }
        let total = charges.reduce(Int64(0)) { $0 + $1.capturedMinor } - refunds.reduce(Int64(0)) { $0 + $1.capturedMinor }
        return (
            LedgerBatch(
                count: charges.count + refunds.count, total: Money(minorUnits: total, currency: currency), paymentIDs: rows.compactMap(\.id)
            ),
            rows
        )
    }
}

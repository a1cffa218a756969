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
    /// The open batch of `channel` as the ledger sees it; see ``closeBatch(channel:currency:actor:terminal:)``.
    public func openBatch(channel: String, currency: Currency) throws -> LedgerBatch {
        try read { db in try Self.openBatch(channel: channel, currency: currency, in: db).batch }
    }

    /// Marks everything in `channel`'s open batch as closed now, settling the card payments that
    /// can settle (a settled payment can no longer be voided, only refunded), in one
    /// transaction, after the terminal has closed its batch. Returns what was closed.
    /// `terminal` is the count and total the terminal reported for the batch it closed: kept
    /// beside the ledger's so reconcile can show both later.
    @discardableResult
    public func closeBatch(channel: String, currency: Currency, actor: String, terminal: (count: Int, total: Money)? = nil) throws
        -> LedgerBatch
    {
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
                    "payments": .integer(Int64(rows.count)), "currency": .text(currency.code),
                    "terminalCount": terminal.map { .integer(Int64($0.count)) } ?? .null,
                    "terminalTotal": terminal.map { .integer($0.total.minorUnits) } ?? .null,
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
                count: charges.count + refunds.count, total: Money(minorUnits: total, currency: currency), paymentIDs: rows.map(\.id)
            ),
            rows
        )
    }
}

/// One batch close as the ledger recorded it: its own count and total beside the terminal's.
public struct BatchCloseFacts: Equatable, Sendable {
    public var channel: String
    public var closedAt: Date
    public var ledgerCount: Int
    public var ledgerTotal: Money
    /// What the terminal reported (nil for a close recorded before posplus kept it).
    public var terminalCount: Int?
    public var terminalTotal: Money?
}

extension Ledger {
    /// The batch closes recorded in `[since, until)`, oldest first.
    public func batchCloses(since: Date, until: Date) throws -> [BatchCloseFacts] {
        struct Detail: Decodable {
            var channel: String
            var count: Int
            var total: Int64
            var currency: Currency?
            var terminalCount: Int?
            var terminalTotal: Int64?
        }
        let events = try read { db in
            try AuditEventRecord.filter(Column("kind") == "batch.close")
                .filter(
                    Column("atMillis") >= Int64(since.timeIntervalSince1970 * 1_000)
                        && Column("atMillis") < Int64(until.timeIntervalSince1970 * 1_000)
                )
                .order(Column("seq")).fetchAll(db)
        }
        return events.compactMap { event in
            guard let detail = try? JSONDecoder().decode(Detail.self, from: Data(event.detail.utf8)),
                let currency = detail.currency
            else { return nil }
            return BatchCloseFacts(
                channel: detail.channel, closedAt: Date(timeIntervalSince1970: TimeInterval(event.atMillis) / 1_000),
                ledgerCount: detail.count, ledgerTotal: Money(minorUnits: detail.total, currency: currency),
                terminalCount: detail.terminalCount, terminalTotal: detail.terminalTotal.map { Money(minorUnits: $0, currency: currency) })
        }
    }
}

import Foundation
import GRDB
import PosPlusCore

/// What the risk scorer needs to know of a client and a card, as the ledger has it.
public struct RiskRecords: Equatable, Sendable {
    /// What the client's approved payments took, the newest first.
    public var approvedAmounts: [Money]
    /// The client's charges begun since the window opened, whatever their answer.
    public var recentCharges: [Charge]
    /// Declines of the card (brand and last four) on other clients since the lookback opened.
    public var cardDeclines: [Decline]

    public struct Charge: Equatable, Sendable {
        public var amount: Money
        public var at: Date
    }

    public struct Decline: Equatable, Sendable {
        public var paymentID: Int64
        public var clientID: String
        public var at: Date
    }
}

extension Ledger {
    /// The payments the risk signals of a request for `clientID` read, in one read transaction,
    /// fresh (several processes share the ledger: a charge another one took a second ago counts).
    ///
    /// Three indexed reads (``LedgerMigrations/riskHolds``): the newest `approvedLimit` approved
    /// payments of the client, the client's charges created since `recentSince` (abandoned ones
    /// were never sent and do not count), and — when the card is known — declines of the same
    /// brand and last four on any other client answered since `declinedSince`. Only charges
    /// count: a refund or void is not the client paying.
    public func riskRecords(
        clientID: String, recentSince: Date, card: MaskedCard?, declinedSince: Date, approvedLimit: Int
    ) throws -> RiskRecords {
        try read { db in
            let charges = "operation IN ('sale', 'keyedSale', 'achDebit', 'tokenSale', 'deposit')"
            let approvedRows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT capturedMinor, currency FROM payment INDEXED BY paymentByClient
                        WHERE clientID = ? AND \(charges) AND capturedMinor > 0
                          AND state IN ('approved', 'partiallyApproved', 'partiallyRefunded', 'settled', 'refunded')
                        ORDER BY createdAt DESC, id DESC LIMIT ?
                        """), arguments: [clientID, approvedLimit])
            let recentRows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT requestedMinor, currency, createdAt FROM payment INDEXED BY paymentByClient
                        WHERE clientID = ? AND createdAt >= ? AND \(charges) AND state <> 'abandoned'
                        """), arguments: [clientID, DatabaseTime.text(recentSince)])
            var declines: [RiskRecords.Decline] = []
            if let card {
                declines = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT id, clientID, updatedAt FROM payment INDEXED BY paymentDeclinedCard
                            WHERE cardLast4 = ? AND updatedAt >= ? AND state = 'declined' AND cardLast4 IS NOT NULL
                              AND cardBrand = ? COLLATE NOCASE AND clientID IS NOT NULL AND clientID <> ?
                            ORDER BY updatedAt DESC LIMIT 20
                            """), arguments: [card.last4, DatabaseTime.text(declinedSince), card.brand, clientID]
                ).map { RiskRecords.Decline(paymentID: $0["id"], clientID: $0["clientID"], at: $0["updatedAt"]) }
            }
            return RiskRecords(
                approvedAmounts: try approvedRows.map {
                    Money(minorUnits: $0["capturedMinor"], currency: try Currency(code: $0["currency"]))
                },
                recentCharges: try recentRows.map {
                    RiskRecords.Charge(
                        amount: Money(minorUnits: $0["requestedMinor"], currency: try Currency(code: $0["currency"])), at: $0["createdAt"])
                },
                cardDeclines: declines)
        }
    }
}

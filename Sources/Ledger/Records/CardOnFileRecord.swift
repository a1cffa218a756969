import Foundation
import GRDB

/// One row of `cardOnFile`: a processor's token for a saved card or bank account, and what
/// staff need to recognise it (brand or bank, last four, a card's expiry). Never the card or
/// account number: the token is opaque and is checked on the way in so a card number cannot be
/// stored in its place.
///
/// A row that exists, so its id is never nil; a new card is written as a ``Draft``.
public struct CardOnFileRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cardOnFile"

    /// What is kept: a card (charged with a token sale) or a bank account (debited, ACH).
    public enum Kind: String, Codable, Equatable, Sendable, DatabaseValueConvertible {
        case card
        case bankAccount
    }

    public var id: Int64
    public var kind: Kind
    /// The Jobber client the card belongs to.
    public var clientID: String
    /// Which processor issued the token (a terminal family or a gateway name).
    public var processor: String
    public var token: String
    /// The card brand, or the bank's name.
    public var brand: String
    public var last4: String
    /// A card's expiry; nil for a bank account, which does not expire.
    public var expiryMonth: Int?
    public var expiryYear: Int?
    public var createdAt: Date
    public var removedAt: Date?

    /// Whether the card has expired as of `date` (cards work through the end of their month).
    public func isExpired(at date: Date, calendar: Calendar = Calendar(identifier: .gregorian)) -> Bool {
        var utc = calendar
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = utc.dateComponents([.year, .month], from: date)
        guard let year = parts.year, let month = parts.month, let expiryYear, let expiryMonth else { return false }
        return (year, month) > (expiryYear, expiryMonth)
    }
}

extension CardOnFileRecord {
    /// A card's row before SQLite has given it an id (GRDB's "partial record"): inserted with
    /// `insertAndFetch(_:as:)`, it comes back as the ``CardOnFileRecord`` that was stored.
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = CardOnFileRecord.databaseTableName

        var kind: Kind
        var clientID: String
        var processor: String
        var token: String
        var brand: String
        var last4: String
        var expiryMonth: Int?
        var expiryYear: Int?
        var createdAt: Date
    }
}

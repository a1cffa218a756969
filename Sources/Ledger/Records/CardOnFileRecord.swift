import Foundation
import GRDB

/// One row of `cardOnFile`: a processor's token for a saved card, and what staff need to
/// recognise it (brand, last four, expiry). Never the card number: the token is opaque and
/// is checked on the way in so a card number cannot be stored in its place.
///
/// A row that exists, so its id is never nil; a new card is written as a ``Draft``.
public struct CardOnFileRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cardOnFile"

    public var id: Int64
    /// The Jobber client the card belongs to.
    public var clientID: String
    /// Which processor issued the token (a terminal family or a gateway name).
    public var processor: String
    public var token: String
    public var brand: String
    public var last4: String
    public var expiryMonth: Int
    public var expiryYear: Int
    public var createdAt: Date
    public var removedAt: Date?

    /// Whether the card has expired as of `date` (cards work through the end of their month).
    public func isExpired(at date: Date, calendar: Calendar = Calendar(identifier: .gregorian)) -> Bool {
        var utc = calendar
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = utc.dateComponents([.year, .month], from: date)
        guard let year = parts.year, let month = parts.month else { return false }
        return (year, month) > (expiryYear, expiryMonth)
    }
}

extension CardOnFileRecord {
    /// A card's row before SQLite has given it an id (GRDB's "partial record"): inserted with
    /// `insertAndFetch(_:as:)`, it comes back as the ``CardOnFileRecord`` that was stored.
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = CardOnFileRecord.databaseTableName

        var clientID: String
        var processor: String
        var token: String
        var brand: String
        var last4: String
        var expiryMonth: Int
        var expiryYear: Int
        var createdAt: Date
    }
}

import Foundation
import GRDB

/// One row of `cardOnFile`: a processor's token for a saved card, and what staff need to
/// recognise it (brand, last four, expiry). Never the card number: the token is opaque and
/// is checked on the way in so a card number cannot be stored in its place.
public struct CardOnFileRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "cardOnFile"

    public var id: Int64?
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

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Whether the card has expired as of `date` (cards work through the end of their month).
    public func isExpired(at date: Date, calendar: Calendar = Calendar(identifier: .gregorian)) -> Bool {
        var utc = calendar
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = utc.dateComponents([.year, .month], from: date)
        guard let year = parts.year, let month = parts.month else { return false }
        return (year, month) > (expiryYear, expiryMonth)
    }
}

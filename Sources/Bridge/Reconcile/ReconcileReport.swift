import Foundation
import Ledger
import Reconcile

/// What a run found, stored and did. Its JSON is what `--json` prints and what the ledger keeps.
public struct ReconcileReport: Sendable, Codable {
    public var since: Date
    public var until: Date
    public var items: [ReconcileItem]
    public var stored: ReconcileRunOutcome
    public var applied: [String]
    /// Sides (or parts of one) that could not be read, and so were not compared.
    public var notes: [String]
    public var totals: [ReconcileTotals]
    /// Each payout in the window, broken down into what it paid out.
    public var payouts: [PayoutTotals]
    /// The time zone the days of the totals are in.
    public var timeZone: String

    /// Items a person (or `--apply`) must still look at.
    public var toReview: [ReconcileItem] { items.filter(\.kind.needsReview) }

    /// Sorted keys, ISO 8601 dates: the same report is the same text.
    public func json(pretty: Bool = true) throws -> String { try ReconcileJSON.encode(self, pretty: pretty) }

    public static func decode(_ json: String) throws -> ReconcileReport { try ReconcileJSON.decode(ReconcileReport.self, from: json) }
}

/// The one JSON form of reconcile's values — sorted keys, so the same value is the same text,
/// and ISO 8601 dates — for the items kept in the ledger, the kept reports and `--json`.
public enum ReconcileJSON {
    public static func encode(_ value: some Encodable, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

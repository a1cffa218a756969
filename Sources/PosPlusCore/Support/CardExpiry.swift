/// A card's expiry month and year: with brand and last four, all posplus keeps of a saved card.
public struct CardExpiry: Equatable, Sendable, Codable {
    public let month: Int
    /// Four digits.
    public let year: Int

    public init(month: Int, year: Int) throws(IdentifierError) {
        guard (1...12).contains(month), (2000...2199).contains(year) else {
            throw .invalid(kind: "card expiry", value: "\(month)/\(year)", rule: "a month 1 to 12 and a year 2000 to 2199")
        }
        self.month = month
        self.year = year
    }

    /// Reads the `MMYY` text terminals report ("1230" is December 2030); nil for anything else.
    public init?(mmyy text: String) {
        guard text.count == 4, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
            let month = Int(text.prefix(2)), let year = Int(text.suffix(2)), let expiry = try? CardExpiry(month: month, year: 2000 + year)
        else { return nil }
        self = expiry
    }

    /// "12/2030".
    public var display: String { (month < 10 ? "0" : "") + "\(month)/\(year)" }
}

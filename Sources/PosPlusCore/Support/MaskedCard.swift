import Foundation

/// The most posplus ever keeps about a card: its brand, the last four digits and the expiry.
///
/// There is deliberately no initialiser that takes a card number: the full number, CVV,
/// track data and PIN block stay inside the terminal or the processor's hosted field. The
/// check on `last4` also refuses anything longer, so a PAN cannot slip in through this type.
public struct MaskedCard: Equatable, Sendable, Codable {
    public let brand: String
    public let last4: String

    public init(brand: String, last4: String) throws(IdentifierError) {
        guard last4.count == 4, last4.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw .invalid(kind: "card's last four digits", value: String(last4.prefix(4)) + (last4.count > 4 ? "…" : ""), rule: "exactly four digits")
        }
        let cleanBrand = brand.trimmingCharacters(in: .whitespaces)
        guard !cleanBrand.isEmpty, cleanBrand.count <= 32, !CardNumberScreen.containsCardNumber(cleanBrand) else {
            throw .invalid(kind: "card brand", value: "(hidden)", rule: "a short brand name such as VISA")
        }
        self.brand = cleanBrand.uppercased()
        self.last4 = last4
    }

    /// "VISA •••• 4242", as receipts and listings show it.
    public var display: String { "\(brand) •••• \(last4)" }
}

/// Recognises text that could hold a card number: a run of 13 to 19 digits (spaces or dashes
/// allowed between them) that starts like a card of the major networks (2 to 6), is not one
/// digit repeated, and passes the Luhn check. Storage uses it as a last line of defence; the
/// narrowing keeps references such as `T000000000000001` from being mistaken for cards.
public enum CardNumberScreen {
    public static func containsCardNumber(_ text: String) -> Bool {
        var run: [Int] = []
        for scalar in text.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                run.append(Int(scalar.value - 48))
            } else if scalar != " " && scalar != "-" {
                if isCardNumber(run) { return true }
                run.removeAll()
            }
        }
        return isCardNumber(run)
    }

    static func isCardNumber(_ digits: [Int]) -> Bool {
        guard (13...19).contains(digits.count), let first = digits.first, (2...6).contains(first),
            digits.contains(where: { $0 != first })
        else { return false }
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            let doubled = offset % 2 == 1 ? digit * 2 : digit
            sum += doubled > 9 ? doubled - 9 : doubled
        }
        return sum % 10 == 0
    }
}

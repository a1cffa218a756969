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
            throw .invalid(
                kind: "card's last four digits", value: String(last4.prefix(4)) + (last4.count > 4 ? "…" : ""), rule: "exactly four digits")
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

/// Recognises text that could hold a card number: 13 to 19 digits that start like a card of
/// the major networks (2 to 6), are not one digit repeated, and pass the Luhn check — either
/// in one unbroken run, or in the groups cards are printed in (4-4-4-4, 4-4-4-4-3, 4-6-5,
/// 4-6-4) separated by single spaces, dashes, dots, underscores or slashes.
///
/// Storage uses it as a last line of defence. The narrowing matters as much as the match:
/// a UUID idempotency key or a reference of zeros must never be mistaken for a card.
public enum CardNumberScreen {
    static let printedLayouts: Set<[Int]> = [[4, 4, 4, 4], [4, 4, 4, 4, 3], [4, 6, 5], [4, 6, 4]]

    public static func containsCardNumber(_ text: String) -> Bool {
        var groups: [[Int]] = []  // digit groups joined by single separators, in the current stretch
        var current: [Int] = []
        var lastWasSeparator = false

        func closeStretch() -> Bool {
            if !current.isEmpty { groups.append(current) }
            defer { groups = []; current = [] }
            if groups.contains(where: isCardNumber) { return true }
            // Try every window of consecutive groups that matches a printed layout.
            for start in groups.indices {
                for end in start..<groups.count where printedLayouts.contains(groups[start...end].map(\.count)) {
                    if isCardNumber(groups[start...end].flatMap { $0 }) { return true }
                }
            }
            return false
        }

        for scalar in text.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                current.append(Int(scalar.value - 48))
                lastWasSeparator = false
            } else if isSeparator(scalar) && !current.isEmpty && !lastWasSeparator {
                groups.append(current)
                current = []
                lastWasSeparator = true
            } else {
                if closeStretch() { return true }
                lastWasSeparator = false
            }
        }
        return closeStretch()
    }

    /// What may stand between the digit groups of a printed or typed card number: a space, a
    /// dash, a dot, an underscore or a slash (one at a time).
    public static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "-" || scalar == "." || scalar == "_" || scalar == "/"
    }

    /// The stricter screen for short free text checked at the edge — an operator's name, an
    /// idempotency key, a client id, an email address — where refusing costs a retyped word:
    /// digits count whatever punctuation or spaces stand between them (`4111.1111.1111.1111`,
    /// `4111_1111_1111_1111`, `4111 - 1111 - …`, `41111111 11111111`), and any decimal digit
    /// counts (full-width `４１１１…` too); only letters break a run. Any 13 to 19 digits in a row
    /// that pass ``isCardNumber(_:)`` are taken as a card number.
    public static func mayHoldCardNumber(_ text: String) -> Bool {
        var run: [Int] = []
        func runHoldsCard() -> Bool {
            guard run.count >= 13 else { return false }
            for start in run.indices {
                for length in 13...19 where start + length <= run.count {
                    if isCardNumber(Array(run[start..<(start + length)])) { return true }
                }
            }
            return false
        }
        for character in text {
            if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                scalar.properties.numericType == .decimal, let digit = character.wholeNumberValue
            {
                run.append(digit)
            } else if character.isLetter {
                if runHoldsCard() { return true }
                run = []
            }
        }
        return runHoldsCard()
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

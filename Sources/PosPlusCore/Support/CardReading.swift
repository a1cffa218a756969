import Foundation

/// How a terminal read the card, and the chip's answers a receipt shows.
///
/// Card-brand rules ask a chip receipt to name the application (label and AID), and the
/// TVR/TSI let the processor or a dispute desk see what the chip and terminal decided. None
/// of it is card data: no digit of the card number, no expiry, nothing that could be replayed.
/// The values come from a terminal, so each is checked for its shape and dropped (not kept
/// half-checked) when it is wrong: a bad field never stops a payment from being recorded.
public struct CardReading: Equatable, Sendable, Codable {
    /// How the card was read: `chip`, `contactless`, `swiped`, `keyed`, `scanned`,
    /// `chipFallbackToSwipe` (the terminal module's `EntryMode` raw values).
    public var entryMode: String?
    /// The chip application's name ("VISA CREDIT"): printable, at most 32 characters.
    public var applicationLabel: String?
    /// The application identifier (AID): 10 to 32 hex digits.
    public var applicationID: String?
    /// Terminal Verification Results: 10 hex digits.
    public var terminalVerificationResults: String?
    /// Transaction Status Information: 4 hex digits.
    public var transactionStatusInformation: String?

    public init(
        entryMode: String? = nil, applicationLabel: String? = nil, applicationID: String? = nil, terminalVerificationResults: String? = nil,
        transactionStatusInformation: String? = nil
    ) {
        self.entryMode = entryMode.flatMap { Self.word($0) }
        self.applicationLabel = applicationLabel.flatMap(Self.label)
        self.applicationID = applicationID.flatMap { Self.hex($0, lengths: 10...32) }
        self.terminalVerificationResults = terminalVerificationResults.flatMap { Self.hex($0, lengths: 10...10) }
        self.transactionStatusInformation = transactionStatusInformation.flatMap { Self.hex($0, lengths: 4...4) }
    }

    /// Nothing known: not worth keeping.
    public var isEmpty: Bool {
        entryMode == nil && applicationLabel == nil && applicationID == nil && terminalVerificationResults == nil
            && transactionStatusInformation == nil
    }

    /// The entry mode as a customer reads it ("Chip", "Contactless").
    public var entryModeWords: String? {
        guard let entryMode else { return nil }
        let words = [
            "chip": "Chip", "contactless": "Contactless", "swiped": "Swiped", "keyed": "Keyed", "scanned": "Scanned",
            "chipFallbackToSwipe": "Swiped (chip fallback)",
        ]
        return words[entryMode] ?? entryMode
    }

    private static func word(_ text: String) -> String? {
        guard (1...32).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return text
    }

    private static func label(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard (1...32).contains(trimmed.count), trimmed.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }),
            !CardNumberScreen.mayHoldCardNumber(trimmed)
        else { return nil }
        return trimmed
    }

    private static func hex(_ text: String, lengths: ClosedRange<Int>) -> String? {
        let upper = text.uppercased()
        guard lengths.contains(upper.count), upper.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return nil }
        return upper
    }
}

import Foundation

/// The machine codes a processor gave with its answer, stored beside the attempt.
///
/// The words of a decline cannot be classified reliably (Stripe words a stolen card and a
/// generic decline the same), so the codes are what decides soft or hard later. They are
/// processor text, so ``stored`` cleans them before they reach the ledger: an odd code is
/// trimmed, never a reason to refuse an answer that must be recorded.
public struct DeclineCodes: Equatable, Sendable {
    /// The card host's response code as a terminal passes it on (ISO 8583 field 39: `51`, `05`).
    public var hostCode: String?
    /// A gateway's error code (Stripe's `code`: `card_declined`, `expired_card`).
    public var gatewayCode: String?
    /// A gateway's specific decline reason (Stripe's `decline_code`: `stolen_card`).
    public var gatewayDeclineCode: String?

    public init(hostCode: String? = nil, gatewayCode: String? = nil, gatewayDeclineCode: String? = nil) {
        self.hostCode = hostCode
        self.gatewayCode = gatewayCode
        self.gatewayDeclineCode = gatewayDeclineCode
    }

    /// The longest code kept. Stripe's longest decline code is 32 characters
    /// (`revocation_of_all_authorizations`); anything longer is not a code we could look up.
    public static let maximumLength = 40

    /// The codes as the ledger stores them: see ``clean(_:)``.
    public var stored: DeclineCodes {
        DeclineCodes(
            hostCode: Self.clean(hostCode), gatewayCode: Self.clean(gatewayCode), gatewayDeclineCode: Self.clean(gatewayDeclineCode))
    }

    /// One code cut down to what a code can be: surrounding blanks trimmed, only letters, digits
    /// and `_ - . :` kept, at most ``maximumLength`` characters; nil when nothing is left.
    /// Text that looks like a card number is redacted like any other processor text.
    public static func clean(_ code: String?) -> String? {
        guard let code else { return nil }
        let kept = code.unicodeScalars.filter { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "_-.:".unicodeScalars.contains(scalar))
        }
        let text = String(String.UnicodeScalarView(kept.prefix(maximumLength)))
        guard !text.isEmpty else { return nil }
        return CardDataScrubber.scrub(text)
    }
}

/// Who did something — a staff member, a technician, or a system actor such as `recovery` — as
/// the audit log, the payment row and the Jobber note name them.
///
/// Free text from outside (a CLI option, a staff record, an API body), so it is checked on the
/// way in, before anything is recorded or sent: 1 to 64 characters, no control or
/// direction-changing characters (they would forge or hide lines in logs and notes), no leading
/// or trailing space, and nothing that looks like a card number — the ledger never keeps one,
/// and refusing it after a terminal took the money would leave the answer unrecorded.
public struct OperatorName: ValidatedIdentifier {
    public let rawValue: String

    public static let maximumLength = 64

    public init(_ text: String) throws(IdentifierError) {
        let rule = "1 to 64 printable characters, no leading or trailing space, and nothing that looks like a card number"
        guard !text.isEmpty, text.count <= Self.maximumLength, text.unicodeScalars.allSatisfy(Self.isPrintable),
            text.first?.isWhitespace == false, text.last?.isWhitespace == false, !CardNumberScreen.mayHoldCardNumber(text)
        else { throw .invalid(kind: "operator name", value: Self.shown(text), rule: rule) }
        rawValue = text
    }

    public var description: String { rawValue }

    /// Control characters, line and paragraph separators, and bidirectional overrides and
    /// isolates are refused; everything else (accents, other scripts) is a name.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return false
        default: return true
        }
    }

    /// The refused text as an error may show it: never a card number, even in an error.
    static func shown(_ text: String) -> String {
        CardNumberScreen.mayHoldCardNumber(text) ? "(text that looks like a card number)" : text
    }
}

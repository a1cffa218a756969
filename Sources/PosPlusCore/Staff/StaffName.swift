/// A staff member's login name: what they type at the console and what the audit log shows.
///
/// Plain ASCII on purpose: a name is typed on a phone and a counter PC alike, compared without
/// regard to case, and printed in logs and audit events, so look-alike letters from other
/// scripts, spaces and control characters have no place in it. Names are unique regardless of
/// case ("Ada" and "ada" are one person); ``key`` is the form used to compare and count.
public struct StaffName: ValidatedIdentifier {
    public let rawValue: String

    public static let lengths = 2...32
    static let rule = "2 to 32 characters: letters, digits, '.', '-' or '_', starting with a letter (for example ada.lovelace)"

    public init(_ text: String) throws(IdentifierError) {
        let scalars = text.unicodeScalars
        guard Self.lengths.contains(scalars.count), let first = scalars.first, Self.isLetter(first),
            scalars.allSatisfy({ Self.isLetter($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == "_" })
        else { throw .invalid(kind: "staff name", value: text, rule: Self.rule) }
        rawValue = text
    }

    /// The name as compared and counted: lower case.
    public var key: String { rawValue.lowercased() }

    public var description: String { rawValue }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
}

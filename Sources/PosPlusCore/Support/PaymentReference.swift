/// Our own reference for one attempt at a payment: the terminal's ECR reference number and
/// the gateway's idempotency key, so a lost answer can be looked up by it later.
///
/// 16 characters at most (POSLink's ECRRefNum limit), upper-case letters and digits only, so it
/// survives every wire format unchanged. A new attempt always gets a new reference; reusing
/// one would make the terminal answer "duplicate" or the gateway replay an old answer.
public struct PaymentReference: ValidatedIdentifier {
    public let rawValue: String

    public static let maximumLength = 16

    /// Validates text from outside (a CLI argument, a terminal report).
    public init(_ text: String) throws(IdentifierError) {
        guard !text.isEmpty, text.count <= Self.maximumLength,
            text.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw .invalid(kind: "payment reference", value: text, rule: "1 to 16 upper-case letters or digits")
        }
        rawValue = text
    }

    /// A fresh reference: "P" and 15 Crockford base-32 digits (75 random bits), from the
    /// generator the caller injects (tests seed it; the app uses the system generator).
    public static func random(using generator: inout some RandomNumberGenerator) -> PaymentReference {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var text = "P"
        for _ in 0..<15 { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
        return try! PaymentReference(text)  // built from the allowed alphabet, within the length
    }

    public var description: String { rawValue }
}

/// The key a caller sends so that a retry of the same request maps to the same payment.
///
/// Printable ASCII without spaces, 1 to 255 characters (Stripe's limit), so the same key can
/// travel in an HTTP header, a CLI argument and a SQLite column unchanged.
public struct IdempotencyKey: ValidatedIdentifier {
    public let rawValue: String

    /// Also refuses a key that looks like a card number (`k-4000056655665556`): keys are stored
    /// and logged as they are, and a key is checked before anything is sent.
    public init(_ text: String) throws(IdentifierError) {
        let rule = "1 to 255 printable ASCII characters without spaces, and nothing that looks like a card number"
        guard !text.isEmpty, text.utf8.count <= 255, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalid(kind: "idempotency key", value: text, rule: rule)
        }
        guard !CardNumberScreen.containsCardNumber(text) else {
            throw .invalid(kind: "idempotency key", value: "(text that looks like a card number)", rule: rule)
        }
        rawValue = text
    }

    public var description: String { rawValue }
}

/// An identifier that does not follow its format.
public enum IdentifierError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(kind: String, value: String, rule: String)

    public var description: String {
        switch self {
        case .invalid(let kind, let value, let rule):
            // Never echo what could steer a terminal (escape sequences) or hide text (direction marks).
            let visible = String(
                String.UnicodeScalarView(
                    value.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
                        OperatorName.isPrintable(scalar) ? [scalar] : Array("\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
                    }))
            let shown = visible.count > 40 ? String(visible.prefix(40)) + "…" : visible
            return "\"\(shown)\" is not a valid \(kind): it must be \(rule)."
        }
    }
}

/// An identifier that is text checked on the way in. Decoding runs the same check, so a
/// stored or received value can never bypass it.
public protocol ValidatedIdentifier: Hashable, Sendable, Codable, CustomStringConvertible {
    var rawValue: String { get }
    init(_ text: String) throws(IdentifierError)
}

extension ValidatedIdentifier {
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

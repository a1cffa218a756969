/// What was wrong with a webhook delivery. ``isUnauthenticated`` tells a delivery nobody proved
/// Jobber sent (answered 401) from a signed one posplus cannot read (answered 400).
///
/// Kept free of imports so `make fuzz` can compile it with the webhook reader.
public enum JobberWebhookProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case missingSignature
    case malformedSignature
    case signatureMismatch
    /// Signed, but not the event shape Jobber documents; the reason names what is missing.
    case malformedBody(String)

    public var isUnauthenticated: Bool {
        if case .malformedBody = self { return false }
        return true
    }

    /// The case's name: a fixed, short key for counting refusals (the description varies).
    public var kind: String {
        switch self {
        case .missingSignature: return "missingSignature"
        case .malformedSignature: return "malformedSignature"
        case .signatureMismatch: return "signatureMismatch"
        case .malformedBody: return "malformedBody"
        }
    }

    public var description: String {
        switch self {
        case .missingSignature: return "no X-Jobber-Hmac-SHA256 header"
        case .malformedSignature: return "the signature header is not a base64 SHA-256 HMAC"
        case .signatureMismatch: return "the signature does not match the body (forged, altered, or signed with another secret)"
        case .malformedBody(let reason): return reason
        }
    }
}

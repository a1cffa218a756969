import HTTPClient

/// What went wrong talking to Jobber, in words the office can act on.
public enum JobberError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Jobber's reply is not what its schema promises (a missing field, a bad number).
    case malformedResponse(String)
    /// GraphQL errors other than throttling, with their messages.
    case graphQL([String])
    /// Too many requests even after waiting.
    case throttled
    /// No stored connection, or Jobber refused our tokens: connect again.
    case notConnected(String)
    /// The account disconnected the app in Jobber.
    case disconnected
    case http(status: Int)
    case transport(HTTPClientError)
    /// A webhook that is unsigned, forged or malformed.
    case invalidWebhook(JobberWebhookProblem)

    /// Whether nothing will work until staff run `posplus jobber connect`: no stored
    /// connection, tokens Jobber refuses, or an account that disconnected the app.
    public var needsReconnect: Bool {
        switch self {
        case .notConnected, .disconnected: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .malformedResponse(let reason): return "Jobber sent a reply posplus cannot read: \(reason)."
        case .graphQL(let messages): return "Jobber refused the request: \(messages.joined(separator: "; "))."
        case .throttled: return "Jobber is rate-limiting posplus; try again in a few seconds."
        case .notConnected(let reason): return "posplus is not connected to Jobber (\(reason)); run `posplus jobber connect`."
        case .disconnected: return "This Jobber account has disconnected posplus; run `posplus jobber connect` to reconnect."
        case .http(let status): return "Jobber answered HTTP \(status)."
        case .transport(let error): return "Cannot reach Jobber: \(error)."
        case .invalidWebhook(let problem): return "Rejected a Jobber webhook: \(problem)."
        }
    }
}

/// What was wrong with a webhook delivery. ``isUnauthenticated`` tells a delivery nobody proved
/// Jobber sent (answered 401) from a signed one posplus cannot read (answered 400).
public enum JobberWebhookProblem: Equatable, Sendable, CustomStringConvertible {
    case missingSignature
    case malformedSignature
    case signatureMismatch
    /// Signed, but not the event shape Jobber documents; the reason names what is missing.
    case malformedBody(String)

    public var isUnauthenticated: Bool {
        if case .malformedBody = self { return false }
        return true
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

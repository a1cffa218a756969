import HTTPClient

/// What went wrong talking to Jobber, in words the office can act on.
public enum JobberError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Jobber's reply is not what its schema promises (a missing field, a bad number).
    case malformedResponse(String)
    /// Jobber answered, and has no such record: "invoice #1099", "quote with id Q".
    case notFound(String)
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
        case .notFound(let what): return "Jobber has no \(what)."
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

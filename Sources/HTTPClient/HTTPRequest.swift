/// One HTTP request, as the Jobber and Stripe clients build them.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", put = "PUT", delete = "DELETE"
    }

    public var method: Method
    public var url: String
    /// Header names and values. Values are never logged (they carry bearer tokens and keys).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// The whole exchange, connect to last byte.
    public var timeout: Duration
    public var connectTimeout: Duration
    /// A larger response is an error, not a memory problem.
    public var maximumResponseBytes: Int
    /// Whether repeating the request can never do a thing twice: GET, or a POST that carries
    /// an idempotency key the server honours. Only such requests are retried after they may
    /// have reached the server.
    public var isIdempotent: Bool

    public init(
        _ method: Method, _ url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10), maximumResponseBytes: Int = 4 << 20,
        isIdempotent: Bool? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maximumResponseBytes = maximumResponseBytes
        self.isIdempotent = isIdempotent ?? (method == .get)
    }

    /// Scheme, host and path, without the query (which may carry secrets): what logs show.
    public var redactedURL: String {
        String(url.split(separator: "?", maxSplits: 1).first ?? "")
    }
}

/// A complete response. Non-2xx statuses are responses, not errors: API clients read their
/// bodies (GraphQL errors, Stripe error objects) to say what went wrong.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lower-cased; a header sent twice keeps its last value.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why a request produced no response. `mayHaveReachedServer` decides whether a retry could
/// do something twice.
public enum HTTPClientError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    case dns(host: String)
    case connect(String)
    case tls(String)
    case timeout(Duration)
    case responseTooLarge(limit: Int)
    case transport(String)

    /// Whether the request may have been delivered (so only an idempotent one may be resent).
    public var mayHaveReachedServer: Bool {
        switch self {
        case .invalidURL, .dns, .connect, .tls: return false
        case .timeout, .responseTooLarge, .transport: return true
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url): return "\"\(url)\" is not a valid URL"
        case .dns(let host): return "cannot resolve \(host)"
        case .connect(let reason): return "cannot connect: \(reason)"
        case .tls(let reason): return "TLS failed: \(reason)"
        case .timeout(let limit): return "no complete response within \(limit)"
        case .responseTooLarge(let limit): return "the response was larger than \(limit) bytes"
        case .transport(let reason): return "the connection failed: \(reason)"
        }
    }
}

import CCurl
import Dispatch
import Foundation
import Logging
import PosPlusCore

/// An async HTTP client on libcurl's easy interface.
///
/// Each request runs a blocking `curl_easy_perform` on a dispatch queue, never on Swift's
/// cooperative threads. TLS peer and host verification are always on. Failures before the
/// request could reach the server (DNS, connect, TLS) are retried for any method; failures
/// after it may have (timeout, a dropped connection, 429 and 5xx answers) only for
/// idempotent requests, with jittered exponential backoff on an injected clock. Logs carry
/// method, URL without query, status and time — never headers or bodies.
public final class HTTPClient<C: Clock<Duration>>: Sendable {
    private let logger: Logger
    private let clock: C
    private let retry: RetrySchedule
    /// Handles (and their open connections) kept between requests.
    private let handles = CurlHandlePool()

    public init(
        clock: C, retry: RetrySchedule = RetrySchedule(initialDelay: .milliseconds(200), maximumDelay: .seconds(5), maximumAttempts: 3),
        logger: Logger
    ) {
        _ = CurlGlobal.initialized
        self.clock = clock
        self.retry = retry
        self.logger = logger
    }

    /// Sends `request`, retrying where that is safe; returns the last response.
    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        var attempt = 1
        var generator = SystemRandomNumberGenerator()
        while true {
            let started = ContinuousClock.now
            let result = await perform(request)
            let elapsed = ContinuousClock.now - started
            let retryable: Bool
            switch result {
            case .success(let response):
                logger.debug(
                    "http",
                    metadata: [
                        "method": "\(request.method.rawValue)", "url": "\(request.redactedURL)", "status": "\(response.status)",
                        "ms": "\(elapsed.wholeMilliseconds)",
                    ])
                retryable = request.isIdempotent && (response.status == 429 || response.status >= 500)
                if !retryable { return response }
            case .failure(let error):
                logger.notice(
                    "http failed", metadata: ["method": "\(request.method.rawValue)", "url": "\(request.redactedURL)", "error": "\(error)"])
                retryable = !error.mayHaveReachedServer || request.isIdempotent
                if !retryable { throw error }
            }
            guard let delay = retry.delay(afterAttempt: attempt, using: &generator) else { return try result.get() }
            attempt += 1
            do { try await clock.sleep(for: delay) } catch { return try result.get() }
        }
    }

    /// The transfer blocks, so it runs on a thread of its own (see ``onOwnThread(named:_:)``).
    private func perform(_ request: HTTPRequest) async -> Result<HTTPResponse, HTTPClientError> {
        let handles = self.handles
        return await onOwnThread(named: "posplus.http") { CurlTransfer(request, pool: handles).run() }
    }
}

/// `curl_global_init`, once per process, before the first handle (libcurl requires it).
enum CurlGlobal {
    static let initialized: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
}

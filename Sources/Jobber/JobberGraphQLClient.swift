import Foundation
import HTTPClient
import Logging
import PosPlusCore

/// Sends GraphQL to Jobber: bearer token, pinned `X-JOBBER-GRAPHQL-VERSION`, the cost bucket,
/// and the recoveries Jobber's API asks for — wait and retry on THROTTLED, back off on 429,
/// refresh once on 401, stop on "disconnected".
public actor JobberGraphQLClient<C: Clock<Duration>> {
    public let endpoint: String
    public let apiVersion: String
    private let tokens: JobberTokenManager
    private let http: HTTPClient<C>
    private let clock: C
    private var bucket: QueryCostBucket<C>
    private let logger: Logger
    static var maximumThrottleWaits: Int { 3 }

    public init(endpoint: String, apiVersion: String, tokens: JobberTokenManager, http: HTTPClient<C>, clock: C, logger: Logger) {
        self.endpoint = endpoint
        self.apiVersion = apiVersion
        self.tokens = tokens
        self.http = http
        self.clock = clock
        self.bucket = QueryCostBucket(clock: clock)
        self.logger = logger
    }

    /// Points the bucket holds now (for `posplus jobber status`).
    public var availablePoints: Double { bucket.currentlyAvailable }

    /// Runs a query or mutation; returns its `data`. `estimatedCost` is what the caller
    /// expects the query to cost (fields × `first`), used to wait before sending.
    public func execute(_ query: String, variables: [String: JSONValue] = [:], estimatedCost: Double = 50) async throws(JobberError)
        -> JSONValue
    {
        var refreshed: JobberTokens?
        var throttleWaits = 0
        while true {
            let wait = bucket.waitTime(for: estimatedCost)
            if wait > .zero { try await sleep(wait) }
            bucket.spend(estimatedCost)
            let token: JobberTokens
            if let refreshed { token = refreshed } else { token = try await tokens.accessToken() }
            let response = try await post(query, variables: variables, token: token.accessToken)
            if response.status == 401 {
                if response.text.contains("disconnected this app") { throw .disconnected }
                guard refreshed == nil else { throw .notConnected("Jobber refused a freshly refreshed token") }
                // Retry with exactly the token the refresh produced (or that a concurrent
                // caller's refresh produced), never with whatever is current by then.
                refreshed = try await tokens.refresh(replacing: token.accessToken)
                continue
            }
            if response.status == 429 {
                guard throttleWaits < Self.maximumThrottleWaits else { throw .throttled }
                throttleWaits += 1
                try await sleep(.seconds(1 << throttleWaits))
                continue
            }
            guard response.isSuccess else { throw .http(status: response.status) }
            let json: JSONValue
            do { json = try JSONValue.parse(response.body) } catch { throw .malformedResponse("the reply is not JSON (\(error))") }
            let throttled = adoptCost(from: json)
            if throttled {
                guard throttleWaits < Self.maximumThrottleWaits else { throw .throttled }
                throttleWaits += 1
                logger.notice("jobber throttled", metadata: ["wait": "\(bucket.waitTime(for: estimatedCost))"])
                try await sleep(max(bucket.waitTime(for: estimatedCost), .milliseconds(100)))
                continue
            }
            if let errors = json["errors"]?.array, !errors.isEmpty {
                throw .graphQL(errors.map { $0["message"]?.string ?? "unknown error" })
            }
            guard let data = json["data"], !data.isNull else { throw .malformedResponse("no data in the reply") }
            return data
        }
    }

    private func post(_ query: String, variables: [String: JSONValue], token: Secret<String>) async throws(JobberError) -> HTTPResponse {
        let body = JSONValue.object(["query": .string(query), "variables": .object(variables)]).serialized
        let request = HTTPRequest(
            .post, endpoint,
            headers: [
                ("Authorization", "Bearer \(token.expose())"), ("X-JOBBER-GRAPHQL-VERSION", apiVersion),
                ("Content-Type", "application/json"), ("Accept", "application/json"),
            ],
            body: Array(body.utf8), isIdempotent: !query.trimmingCharacters(in: .whitespaces).hasPrefix("mutation"))
        do { return try await http.send(request) } catch { throw .transport(error) }
    }

    /// Reads `extensions.cost` into the bucket; true when the reply is a THROTTLED refusal.
    private func adoptCost(from json: JSONValue) -> Bool {
        if let status = json["extensions"]?["cost"]?["throttleStatus"],
            let available = status["currentlyAvailable"]?.numberText.flatMap(Double.init),
            let maximum = status["maximumAvailable"]?.numberText.flatMap(Double.init),
            let rate = status["restoreRate"]?.numberText.flatMap(Double.init)
        {
            bucket.update(available: available, maximum: maximum, restoreRate: rate)
        }
        return json["errors"]?.array?.contains { $0["extensions"]?["code"]?.string == "THROTTLED" } ?? false
    }

    private func sleep(_ duration: Duration) async throws(JobberError) {
        do { try await clock.sleep(for: duration) } catch { throw .throttled }
    }
}

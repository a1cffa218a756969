import Foundation
import HTTPClient
import Logging
import PosPlusCore

/// Sends GraphQL to Jobber: bearer token, pinned `X-JOBBER-GRAPHQL-VERSION`, the cost bucket,
/// and the recoveries Jobber's API asks for — wait and retry on THROTTLED, back off on 429,
/// refresh once on 401, stop on "disconnected".
///
/// The token is asked of ``JobberTokenManager`` for every request, which reads the shared
/// store: a pair another process refreshed is used at once, and once the account is
/// disconnected (or was never connected) nothing is sent at all.
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

    /// The last query's cost as posplus computed it before sending and as Jobber reported it
    /// (`extensions.cost.requestedQueryCost`), for tests and diagnostics.
    public private(set) var lastQueryCost: (estimated: Int, reported: Int?)?

    /// What Jobber reported a query to cost, by query text and the local estimate: once the
    /// server has said, its figure is used (it knows its rule best).
    private var reportedCosts: [String: Int] = [:]

    /// Points of queries reserved in the bucket whose replies have not come back yet.
    private var reserved: Double = 0

    /// The figure used when a query's text cannot be read for cost (Jobber's assumption for a
    /// connection without `first`).
    static var unreadableQueryCost: Int { 100 }

    /// Runs a query or mutation; returns its `data`.
    ///
    /// Its cost is computed from the query by Jobber's rule (``GraphQLQueryCost``), or taken
    /// from what Jobber reported for it before, and the query is sent only once the local copy
    /// of Jobber's bucket holds that much: a query the bucket says would be throttled waits on
    /// the clock instead. A THROTTLED reply's `requestedQueryCost` and `throttleStatus` are
    /// adopted, so the retry waits long enough not to be refused again.
    public func execute(_ query: String, variables: [String: JSONValue] = [:]) async throws(JobberError) -> JSONValue {
        let estimated = GraphQLQueryCost.requested(query, variables: variables) ?? Self.unreadableQueryCost
        let key = "\(estimated)\u{0}\(query)"
        var cost = Double(reportedCosts[key] ?? estimated)
        var refreshed: JobberTokens?
        var throttleWaits = 0
        while true {
            // The tokens are read (from the shared store) before anything else: with no
            // connected account nothing is sent and no points are spent.
            let token: JobberTokens
            if let refreshed { token = refreshed } else { token = try await tokens.accessToken() }
            guard cost <= bucket.maximum else { throw .graphQL(["the query costs \(Int(cost)) points, more than Jobber ever allows"]) }
            // Reserve the points before waiting: a concurrent caller (this actor is re-entered
            // during the wait and the request) then waits behind this query instead of
            // counting the same points, until this query's reply says what Jobber took.
            let wait = bucket.waitTime(for: cost)
            bucket.spend(cost)
            reserved += cost
            let sent = await send(query, variables: variables, token: token.accessToken, after: wait)
            reserved -= cost
            let response = try sent.get()
            if response.status == 401 {
                if response.text.contains("disconnected this app") {
                    await tokens.accountDisconnected(refusing: token)
                    throw .disconnected
                }
                guard refreshed == nil else { throw .notConnected("Jobber refused a freshly refreshed token") }
                // Retry with exactly the token the refresh produced (or that a concurrent
                // caller's or process's refresh stored), never with whatever is current by then.
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
            let reported = json["extensions"]?["cost"]?["requestedQueryCost"]?.int
            lastQueryCost = (estimated, reported)
            if let reported {
                if reported != estimated {
                    logger.notice("jobber query cost differs", metadata: ["estimated": "\(estimated)", "reported": "\(reported)"])
                }
                reportedCosts[key] = reported
                cost = Double(reported)
            }
            if adoptCost(from: json) {
                guard throttleWaits < Self.maximumThrottleWaits else { throw .throttled }
                throttleWaits += 1
                logger.notice("jobber throttled", metadata: ["cost": "\(Int(cost))", "wait": "\(bucket.waitTime(for: cost))"])
                // The bucket now holds Jobber's figures, so the next pass waits for exactly what
                // is missing; a refusal that came without them waits a moment instead.
                if bucket.waitTime(for: cost) == .zero { try await sleep(.seconds(1)) }
                continue
            }
            if let errors = json["errors"]?.array, !errors.isEmpty {
                throw .graphQL(errors.map { $0["message"]?.string ?? "unknown error" })
            }
            guard let data = json["data"], !data.isNull else { throw .malformedResponse("no data in the reply") }
            return data
        }
    }

    /// Waits `wait`, then posts; the outcome as a value, so the caller can release the points it
    /// reserved whatever happened.
    private func send(_ query: String, variables: [String: JSONValue], token: Secret<String>, after wait: Duration) async -> Result<
        HTTPResponse, JobberError
    > {
        do throws(JobberError) {
            if wait > .zero { try await sleep(wait) }
            return .success(try await post(query, variables: variables, token: token))
        } catch {
            return .failure(error)
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
            // Jobber's figure cannot include queries of ours still waiting or under way.
            bucket.update(available: available - reserved, maximum: maximum, restoreRate: rate)
        }
        return json["errors"]?.array?.contains { $0["extensions"]?["code"]?.string == "THROTTLED" } ?? false
    }

    private func sleep(_ duration: Duration) async throws(JobberError) {
        do { try await clock.sleep(for: duration) } catch { throw .throttled }
    }
}

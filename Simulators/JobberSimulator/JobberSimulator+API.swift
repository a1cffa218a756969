import Foundation
import GraphQL
import HTTPTypes
import Hummingbird
import PosPlusCore

extension JobberSimulator {
    static let maximumBody = 1 << 20

    func addAPIRoutes(to router: Router<BasicRequestContext>) {
        router.post("/api/graphql") { request, context in
            try await self.graphQL(request, context)
        }
        router.get("/api/oauth/authorize") { request, _ in
            self.authorize(request)
        }
        router.post("/api/oauth/token") { request, context in
            try await self.token(request, context)
        }
    }

    // MARK: GraphQL

    private func graphQL(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        count { $0.graphQLRequests += 1 }
        guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
            return Self.json(415, #"{"errors":[{"message":"Content-Type must be application/json"}]}"#)
        }
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        switch oauth.check(bearer) {
        case .valid: break
        case .expired:
            count { $0.unauthorizedRequests += 1 }
            return Self.json(401, #"{"message":"Invalid Token Error"}"#)
        case .disconnected:
            count { $0.unauthorizedRequests += 1 }
            return Self.json(401, #"{"message":"User has disconnected this app from their account. Please delete this token"}"#)
        }
        guard let version = request.headers[HTTPField.Name("X-JOBBER-GRAPHQL-VERSION")!], !version.isEmpty else {
            return Self.json(400, #"{"errors":[{"message":"The X-JOBBER-GRAPHQL-VERSION header is required"}]}"#)
        }
        let body = try await request.body.collect(upTo: Self.maximumBody)
        let graphQLRequest: GraphQLRequest
        do { graphQLRequest = try JSONDecoder().decode(GraphQLRequest.self, from: Data(buffer: body)) } catch {
            return Self.json(400, #"{"errors":[{"message":"The body must be JSON with a query"}]}"#)
        }
        if graphQLRequest.query.contains("__type") || graphQLRequest.query.contains("__schema") {
            count { $0.introspectionQueries += 1 }
        }
        let requested =
            (try? QueryCost.requested(
                query: graphQLRequest.query, variables: graphQLRequest.variables, operationName: graphQLRequest.operationName)) ?? 0
        let (allowed, status) = bucket.take(requested)
        let cost = Self.costExtension(requested: requested, actual: allowed ? requested : 0, status: status, version: version)
        guard allowed else {
            count { $0.throttledRequests += 1 }
            return Self.json(
                200,
                #"{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://developer.getjobber.com/docs/using_jobbers_api/api_rate_limits"}}],\#(cost)}"#
            )
        }
        count { $0.pointsUsed += requested }
        let collected = ChangeCollector()
        let result = try await schema().execute(
            request: graphQLRequest.query, resolver: JobberResolver(changes: { collected.add($0) }), context: world,
            variables: graphQLRequest.variables, operationName: graphQLRequest.operationName)
        _ = await send(collected.changes)
        var text = String(decoding: try GraphQLJSONEncoder().encode(result), as: UTF8.self)
        text.removeLast()  // the closing brace: the cost extension joins the result object
        return Self.json(200, text + (text.count > 1 ? "," : "") + cost + "}")
    }

    private static func costExtension(requested: Int, actual: Int, status: CostBucket.Status, version: String) -> String {
        let throttle =
            #"{"maximumAvailable":\#(status.maximumAvailable),"currentlyAvailable":\#(status.currentlyAvailable),"restoreRate":\#(status.restoreRate)}"#
        return
            #""extensions":{"cost":{"requestedQueryCost":\#(requested),"actualQueryCost":\#(actual),"throttleStatus":\#(throttle)},"versioning":{"version":\#(JSONText.quote(version))}}"#
    }

    // MARK: OAuth

    private func authorize(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        let redirect = query["redirect_uri"].map(String.init)
        do {
            let code = try oauth.authorize(clientID: query["client_id"].map(String.init), redirectURI: redirect)
            var components = URLComponents(string: redirect ?? "")
            var items = components?.queryItems ?? []
            items.append(URLQueryItem(name: "code", value: code))
            if let state = query["state"] { items.append(URLQueryItem(name: "state", value: String(state))) }
            components?.queryItems = items
            return Response(status: .found, headers: [.location: components?.string ?? ""])
        } catch {
            return Self.json(error.status, Self.oauthError(error))
        }
    }

    private func token(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return Self.json(400, #"{"error":"invalid_request","error_description":"The body must be form-encoded."}"#)
        }
        let body = String(buffer: try await request.body.collect(upTo: Self.maximumBody))
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            form[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        do {
            let (access, refresh) = try oauth.token(form: form)
            return Self.json(200, #"{"access_token":\#(JSONText.quote(access)),"refresh_token":\#(JSONText.quote(refresh))}"#)
        } catch {
            return Self.json(error.status, Self.oauthError(error))
        }
    }

    private static func oauthError(_ failure: SimulatedOAuth.Failure) -> String {
        #"{"error":\#(JSONText.quote(failure.error)),"error_description":\#(JSONText.quote(failure.description))}"#
    }

    static func json(_ status: Int, _ text: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The webhook-worthy changes one GraphQL request made.
final class ChangeCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [JobberWorld.Change] = []

    func add(_ changes: [JobberWorld.Change]) { lock.withLock { collected += changes } }
    var changes: [JobberWorld.Change] { lock.withLock { collected } }
}

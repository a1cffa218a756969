import Foundation
import HTTPClient
import Jobber
import Logging
import PosPlusCore
import TestSupport
import Testing

/// The GraphQL client, OAuth client and token manager over real HTTP on 127.0.0.1. The server
/// here is a scripted stand-in for Jobber (canned replies per test); the GraphQL simulator
/// with Jobber's real schema names is the next step of the Jobber work.
@Suite("Jobber GraphQL and OAuth clients")
struct JobberClientTests {
    final class MemoryStore: JobberTokenStore, @unchecked Sendable {
        private let lock = NSLock()
        private var tokens: JobberTokens?
        private(set) var saves: [JobberTokens] = []
        init(_ tokens: JobberTokens?) { self.tokens = tokens }
        func load() async throws -> JobberTokens? { lock.withLock { tokens } }
        func save(_ tokens: JobberTokens) async throws {
            lock.withLock {
                self.tokens = tokens; saves.append(tokens)
            }
        }
        var saved: [JobberTokens] { lock.withLock { saves } }
    }

    static func jwt(expiresAt: Date, id: String) -> String {
        let payload = Data(#"{"exp":\#(Int(expiresAt.timeIntervalSince1970)),"jti":"\#(id)"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return "eyJhbGciOiJIUzI1NiJ9.\(payload).c2ln"
    }

    static let soon = Date(timeIntervalSince1970: 1_795_000_000)
    static func tokens(_ id: String, expiresAt: Date = soon.addingTimeInterval(3600)) -> JobberTokens {
        JobberTokens(
            accountID: "acc-1", accessToken: Secret(jwt(expiresAt: expiresAt, id: id)), refreshToken: Secret("refresh-\(id)"),
            expiresAt: expiresAt)
    }

    @Test func theExpiryIsReadFromTheJWT() {
        #expect(JobberTokens.expiry(ofJWT: Self.jwt(expiresAt: Self.soon, id: "a")) == Self.soon)
        #expect(JobberTokens.expiry(ofJWT: "not-a-jwt") == nil)
    }

    @Test func concurrentCallersAfterA401ShareOneRefreshAndTheRotatedTokenIsSavedFirst() async throws {
        let store = MemoryStore(Self.tokens("old"))
        let refreshes = Counter()
        let manager = JobberTokenManager(store: store, now: { Self.soon }) {
            (old: JobberTokens) async throws(JobberError) -> JobberTokens in
            let n = refreshes.next()
            #expect(old.refreshToken.expose() == "refresh-old")
            return Self.tokens("new\(n)")
        }
        let rejected = Self.tokens("old").accessToken
        async let a = manager.refresh(replacing: rejected)
        async let b = manager.refresh(replacing: rejected)
        async let c = manager.refresh(replacing: rejected)
        let results = try await [a, b, c]
        #expect(Set(results.map { $0.refreshToken.expose() }) == ["refresh-new1"])
        #expect(refreshes.value == 1)
        #expect(store.saved.map { $0.refreshToken.expose() } == ["refresh-new1"])
    }

    @Test func aTokenAboutToExpireIsRefreshedBeforeUse() async throws {
        let store = MemoryStore(Self.tokens("old", expiresAt: Self.soon.addingTimeInterval(30)))
        let manager = JobberTokenManager(store: store, now: { Self.soon }) { (_: JobberTokens) async throws(JobberError) -> JobberTokens in
            Self.tokens("fresh")
        }
        #expect(try await manager.accessToken().refreshToken.expose() == "refresh-fresh")
        #expect(try await manager.accessToken().refreshToken.expose() == "refresh-fresh")
        #expect(await manager.refreshCount == 1)
    }

    @Test func noStoredConnectionMeansNotConnected() async {
        let manager = JobberTokenManager(store: MemoryStore(nil)) { (_: JobberTokens) async throws(JobberError) -> JobberTokens in
            Self.tokens("x")
        }
        await #expect(throws: JobberError.notConnected("no Jobber account is connected")) { try await manager.accessToken() }
    }

    @Test func theOAuthClientRotatesAndAnOldRefreshTokenIsRefused() async throws {
        let valid = Locked("refresh-1")
        let server = try LocalHTTPServer { request in
            let form = Dictionary(
                uniqueKeysWithValues: request.text.split(separator: "&").map { pair -> (String, String) in
                    let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                    return (parts[0], parts.count > 1 ? parts[1] : "")
                })
            guard form["client_id"] == "app", form["client_secret"] == "s3cret", form["refresh_token"] == valid.value else {
                return .respond(status: 401, body: Array(#"{"error":"invalid_grant"}"#.utf8))
            }
            let next = "refresh-\(Int(valid.value.dropFirst(8))! + 1)"
            valid.value = next
            let body = #"{"access_token":"\#(Self.jwt(expiresAt: Self.soon, id: next))","refresh_token":"\#(next)"}"#
            return .respond(status: 200, body: Array(body.utf8))
        }
        defer { server.stop() }
        let oauth = JobberOAuthClient(
            tokenURL: server.baseURL + "/api/oauth/token", clientID: "app", clientSecret: Secret("s3cret"),
            http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")))
        let first = JobberTokens(accountID: "acc-1", accessToken: Secret("x"), refreshToken: Secret("refresh-1"), expiresAt: Self.soon)
        let second = try await oauth.refresh(first)
        #expect(second.refreshToken.expose() == "refresh-2")
        #expect(second.expiresAt == Self.soon)
        await #expect(throws: JobberError.self) { try await oauth.refresh(first) }  // the old one is dead at once
        #expect(server.requests.first?.headers["content-type"] == "application/x-www-form-urlencoded")
    }

    func graphQL(_ server: LocalHTTPServer, clock: RecordingClock, store: MemoryStore) -> JobberGraphQLClient<RecordingClock> {
        let manager = JobberTokenManager(store: store, now: { Self.soon }) { (_: JobberTokens) async throws(JobberError) -> JobberTokens in
            Self.tokens("refreshed")
        }
        return JobberGraphQLClient(
            endpoint: server.baseURL + "/api/graphql", apiVersion: "2025-04-16", tokens: manager,
            http: HTTPClient(clock: clock, logger: Logger(label: "t")), clock: clock, logger: Logger(label: "t"))
    }

    static let cost =
        #""extensions":{"cost":{"requestedQueryCost":12,"actualQueryCost":10,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":9990,"restoreRate":500}}}"#

    @Test func queriesCarryTheTokenAndPinnedVersionAndReturnData() async throws {
        let server = try LocalHTTPServer { _ in
            .respond(status: 200, body: Array(#"{"data":{"account":{"id":"acc-1","name":"Acme"}},\#(Self.cost)}"#.utf8))
        }
        defer { server.stop() }
        let client = graphQL(server, clock: RecordingClock(), store: MemoryStore(Self.tokens("a")))
        let data = try await client.execute("query { account { id name } }", estimatedCost: 2)
        #expect(data["account"]?["name"]?.string == "Acme")
        let request = try #require(server.requests.first)
        #expect(request.headers["x-jobber-graphql-version"] == "2025-04-16")
        #expect(request.headers["authorization"] == "Bearer " + Self.tokens("a").accessToken.expose())
        #expect(request.text.contains(#""query":"query { account { id name } }""#))
        #expect(await client.availablePoints >= 9990)
    }

    @Test func aThrottledQueryWaitsForTheBucketThenSucceeds() async throws {
        let calls = Counter()
        let server = try LocalHTTPServer { _ in
            if calls.next() == 1 {
                let throttled =
                    #"{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":{"requestedQueryCost":1500,"actualQueryCost":0,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":500,"restoreRate":500}}}}"#
                return .respond(status: 200, body: Array(throttled.utf8))
            }
            return .respond(status: 200, body: Array(#"{"data":{"ok":true},\#(Self.cost)}"#.utf8))
        }
        defer { server.stop() }
        let clock = RecordingClock()
        let client = graphQL(server, clock: clock, store: MemoryStore(Self.tokens("a")))
        #expect(try await client.execute("query { ok }", estimatedCost: 1500)["ok"]?.bool == true)
        #expect(clock.sleeps == [.seconds(2)])  // (1500 − 500) / 500 points a second
        #expect(server.requests.count == 2)
    }

    @Test func a401RefreshesOnceAndRetries() async throws {
        let server = try LocalHTTPServer { request in
            request.headers["authorization"]?.contains(Self.tokens("refreshed").accessToken.expose()) == true
                ? .respond(status: 200, body: Array(#"{"data":{"ok":true}}"#.utf8))
                : .respond(status: 401, body: Array(#"{"message":"Invalid Token Error"}"#.utf8))
        }
        defer { server.stop() }
        let store = MemoryStore(Self.tokens("stale"))
        let client = graphQL(server, clock: RecordingClock(), store: store)
        #expect(try await client.execute("query { ok }")["ok"]?.bool == true)
        #expect(store.saved.count == 1)
    }

    @Test func graphQLErrorsAndDisconnectionAreTyped() async throws {
        let server = try LocalHTTPServer { request in
            request.text.contains("bad")
                ? .respond(
                    status: 200, body: Array(#"{"errors":[{"message":"Field 'balance' doesn't exist on type 'InvoiceAmounts'"}]}"#.utf8))
                : .respond(
                    status: 401,
                    body: Array(#"{"message":"User has disconnected this app from their account. Please delete this token"}"#.utf8))
        }
        defer { server.stop() }
        let client = graphQL(server, clock: RecordingClock(), store: MemoryStore(Self.tokens("a")))
        await #expect(throws: JobberError.graphQL(["Field 'balance' doesn't exist on type 'InvoiceAmounts'"])) {
            try await client.execute("query { bad }")
        }
        await #expect(throws: JobberError.disconnected) { try await client.execute("query { ok }") }
    }
}

final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

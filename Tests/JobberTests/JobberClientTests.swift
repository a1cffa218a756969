import Foundation
import HTTPClient
import Jobber
import JobberSimulator
import JobberTestSupport
import Logging
import PosPlusCore
import TestSupport
import Testing

/// The GraphQL client, OAuth client and token manager. The token manager's own rules are
/// checked with an in-process refresher; everything that crosses the wire runs over real HTTP
/// on 127.0.0.1 against the Jobber simulator.
@Suite("Jobber GraphQL and OAuth clients")
struct JobberClientTests {
    typealias MemoryStore = MemoryTokenStore

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

    @Test func everyCallReadsTheStoredPairSoAnotherProcesssRefreshIsUsed() async throws {
        let store = MemoryStore(Self.tokens("old"))
        let manager = JobberTokenManager(store: store, now: { Self.soon }) { (_: JobberTokens) async throws(JobberError) -> JobberTokens in
            Self.tokens("never")
        }
        #expect(try await manager.accessToken().refreshToken.expose() == "refresh-old")
        store.replace(with: Self.tokens("rotated-elsewhere"))
        #expect(try await manager.accessToken().refreshToken.expose() == "refresh-rotated-elsewhere")
        // A 401 on the old access token: the pair stored meanwhile is the answer, no refresh.
        #expect(try await manager.refresh(replacing: Self.tokens("old").accessToken).refreshToken.expose() == "refresh-rotated-elsewhere")
        store.replace(with: nil)
        await #expect(throws: JobberError.notConnected("no Jobber account is connected")) { try await manager.accessToken() }
        #expect(await manager.refreshCount == 0)
    }

    @Test func aRefusedRefreshUsesAPairStoredMeanwhile() async throws {
        let store = MemoryStore(Self.tokens("old"))
        let manager = JobberTokenManager(store: store, now: { Self.soon }) { (_: JobberTokens) async throws(JobberError) -> JobberTokens in
            store.replace(with: Self.tokens("reconnected"))  // staff reconnected while the old token was presented
            throw .notConnected("Jobber refused the token request (HTTP 401)")
        }
        let fresh = try await manager.refresh(replacing: Self.tokens("old").accessToken)
        #expect(fresh.refreshToken.expose() == "refresh-reconnected")
    }

    @Test func noStoredConnectionMeansNotConnected() async {
        let manager = JobberTokenManager(store: MemoryStore(nil)) { (_: JobberTokens) async throws(JobberError) -> JobberTokens in
            Self.tokens("x")
        }
        await #expect(throws: JobberError.notConnected("no Jobber account is connected")) { try await manager.accessToken() }
    }

    // Against the Jobber simulator from here on: its token endpoint rotates refresh tokens,
    // its GraphQL endpoint checks tokens, the version header and the cost bucket.

    @Test func theOAuthClientRotatesAndAnOldRefreshTokenIsRefused() async throws {
        let jobber = try await SimulatedJobber.start()
        let first = try #require(try await jobber.store.load())
        let second = try await jobber.oauth.refresh(first)
        #expect(second.refreshToken != first.refreshToken)
        #expect(second.expiresAt == SimulatedJobber.epoch.addingTimeInterval(3600))  // read from the JWT's exp
        await #expect(throws: JobberError.self) { try await jobber.oauth.refresh(first) }  // the old one is dead at once
        #expect(try await jobber.oauth.refresh(second).refreshToken != second.refreshToken)
        #expect(jobber.simulator.stats.tokenRefreshes == 2)
        await jobber.stop()
    }

    @Test func queriesCarryTheTokenAndPinnedVersionAndReturnData() async throws {
        let jobber = try await SimulatedJobber.start()
        let data = try await jobber.graphQL.execute("query Account { account { id name } }")
        #expect(data["account"]?["name"]?.string == "Maple & Pine Home Services")
        #expect(await jobber.graphQL.availablePoints <= 9_997)  // the reply's cost extension was adopted
        // Without the version header the simulator refuses, as Jobber does.
        let bare = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, jobber.baseURL + "/api/graphql",
                headers: [
                    ("Content-Type", "application/json"),
                    ("Authorization", "Bearer " + (try await jobber.store.load()!.accessToken.expose())),
                ], body: Array(#"{"query":"{ account { id } }"}"#.utf8)))
        #expect(bare.status == 400)
        await jobber.stop()
    }

    @Test func aThrottledQueryWaitsForTheBucketThenSucceeds() async throws {
        let jobber = try await SimulatedJobber.start()
        jobber.simulator.setThrottle(available: 0)
        let query = "query Page { invoices(first: 50) { nodes { id invoiceNumber } } }"  // costs 1 + 50 × 2
        let data = try await jobber.graphQL.execute(query)
        #expect(data["invoices"]?["nodes"]?.array?.count == 9)
        #expect(jobber.simulator.stats.throttledRequests == 1)
        #expect(jobber.clock.sleeps.count == 1)
        #expect(jobber.clock.sleeps.first.map { $0 >= .milliseconds(200) } == true)  // 101 points at 500 a second
        await jobber.stop()
    }

    @Test func anExpiredTokenGets401AndTwoConcurrentCallersCauseOneRefresh() async throws {
        let jobber = try await SimulatedJobber.start()
        _ = try await jobber.graphQL.execute("query Account { account { id } }")
        jobber.simulator.expireAccessTokens()
        let other = JobberGraphQLClient(
            endpoint: jobber.baseURL + "/api/graphql", apiVersion: "2025-04-16", tokens: jobber.tokens,
            http: HTTPClient(clock: jobber.clock, logger: Logger(label: "t")), clock: jobber.clock, logger: Logger(label: "t"))
        async let a = jobber.graphQL.execute("query Account { account { id } }")
        async let b = other.execute("query Account { account { name } }")
        let (first, second) = try await (a, b)
        #expect(first["account"]?["id"]?.string == Seed.IDs.account.value)
        #expect(second["account"]?["name"]?.string == "Maple & Pine Home Services")
        #expect(jobber.simulator.stats.tokenRefreshes == 1)
        #expect(jobber.store.saved.count == 1)  // the rotated token was stored before use
        await jobber.stop()
    }

    @Test func aTokenNearItsExpiryIsRefreshedBeforeTheCall() async throws {
        let jobber = try await SimulatedJobber.start()
        jobber.clock.advance(by: .seconds(3_590))  // within the 60 s margin of the 60-minute token
        _ = try await jobber.graphQL.execute("query Account { account { id } }")
        #expect(jobber.simulator.stats.tokenRefreshes == 1)
        #expect(jobber.simulator.stats.unauthorizedRequests == 0)
        await jobber.stop()
    }

    @Test func graphQLErrorsAndDisconnectionAreTyped() async throws {
        let jobber = try await SimulatedJobber.start()
        await #expect {
            try await jobber.graphQL.execute("query { invoice(id: \"x\") { amounts { balance } } }")
        } throws: { error in
            guard case .graphQL(let messages) = error as? JobberError else { return false }
            return messages.contains { $0.contains("balance") && $0.contains("InvoiceAmounts") }
        }
        await jobber.simulator.disconnect()
        await #expect(throws: JobberError.disconnected) { try await jobber.graphQL.execute("query Account { account { id } }") }
        await jobber.stop()
    }
}

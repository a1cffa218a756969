import Bridge
import Foundation
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import PosPlusCore
import TestSupport
import Testing

/// Jobber tokens are shared state of the ledger: `posplus serve` and every CLI command open the
/// same file. Here two ledger connections to one file (two pools, as two processes have), each
/// with its own token manager and client, talk over real HTTP to the Jobber simulator, whose
/// token endpoint rotates refresh tokens and refuses a used one as Jobber does.
@Suite("Jobber tokens shared through the ledger")
struct JobberSharedTokensTests {
    struct Fixture {
        let jobber: SimulatedJobber
        let folder: URL
        let path: String

        static func start() async throws -> Fixture {
            let jobber = try await SimulatedJobber.start()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-tokens-\(UUID().uuidString)")
            let path = folder.appendingPathComponent("ledger.sqlite").path
            let tokens = try #require(try await jobber.store.load())
            try Ledger.open(at: path, key: .forTests).saveJobberConnection(
                JobberConnection(
                    accountID: tokens.accountID, accountName: "Maple & Pine Home Services", accessToken: tokens.accessToken,
                    refreshToken: tokens.refreshToken, accessExpiresAt: tokens.expiresAt, connectedAt: Date()),
                actor: "test")
            return Fixture(jobber: jobber, folder: folder, path: path)
        }

        /// One "process": its own ledger pool on the shared file, its own manager and client.
        func process() throws -> (ledger: Ledger, tokens: JobberTokenManager, graphQL: JobberGraphQLClient<RecordingClock>) {
            let ledger = try Ledger.open(at: path, key: .forTests)
            let (tokens, graphQL) = jobber.client(store: LedgerJobberTokenStore(ledger: ledger))
            return (ledger, tokens, graphQL)
        }

        func stop() async {
            await jobber.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static let account = "query Account { account { id name } }"

    @Test func aRefreshByOneProcessIsUsedByTheOtherWhichKeepsWorking() async throws {
        let fixture = try await Fixture.start()
        let serve = try fixture.process()
        let cli = try fixture.process()
        _ = try await serve.graphQL.execute(Self.account)  // serve has been running and talking to Jobber

        fixture.jobber.clock.advance(by: .seconds(3_590))  // an hour on: the CLI refreshes (and rotates)
        _ = try await cli.graphQL.execute(Self.account)
        #expect(fixture.jobber.simulator.stats.tokenRefreshes == 1)

        // serve reads the pair the CLI stored: no 401, no refresh with the used-up token.
        let data = try await serve.graphQL.execute(Self.account)
        #expect(data["account"]?["id"]?.string == Seed.IDs.account.value)
        #expect(fixture.jobber.simulator.stats.tokenRefreshes == 1)
        #expect(fixture.jobber.simulator.stats.unauthorizedRequests == 0)
        #expect(await serve.tokens.refreshCount == 0)

        // And after Jobber refuses the token (401), serve's refresh uses the current refresh token.
        fixture.jobber.simulator.expireAccessTokens()
        _ = try await serve.graphQL.execute(Self.account)
        _ = try await cli.graphQL.execute(Self.account)
        #expect(fixture.jobber.simulator.stats.tokenRefreshes == 2)
        #expect(try serve.ledger.verifyAuditChain().isIntact)
        await fixture.stop()
    }

    @Test func twoProcessesRefreshingAtOnceReachTheTokenEndpointOnceAndLeaveALivePair() async throws {
        let fixture = try await Fixture.start()
        let first = try fixture.process()
        let second = try fixture.process()
        for _ in 0..<3 {
            fixture.jobber.simulator.expireAccessTokens()  // both get 401 and both want to refresh
            async let a = first.graphQL.execute(Self.account)
            async let b = second.graphQL.execute("query Name { account { name } }")
            let (one, two) = try await (a, b)
            #expect(one["account"]?["id"]?.string == Seed.IDs.account.value)
            #expect(two["account"]?["name"]?.string == "Maple & Pine Home Services")
        }
        #expect(fixture.jobber.simulator.stats.tokenRefreshes == 3)  // one per expiry, not one per process
        #expect(await first.tokens.refreshCount + second.tokens.refreshCount == 3)
        // The stored pair is the live one: its refresh token is accepted.
        let stored = try #require(try first.ledger.jobberConnection())
        let next = try await fixture.jobber.oauth.refresh(
            JobberTokens(
                accountID: stored.accountID, accessToken: stored.accessToken, refreshToken: stored.refreshToken,
                expiresAt: stored.accessExpiresAt))
        #expect(next.refreshToken != stored.refreshToken)
        await fixture.stop()
    }

    @Test func aRefreshedPairIsStoredOnlyOverTheRefreshTokenItUsed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-tokens-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        try ledger.saveJobberConnection(
            JobberConnection(
                accountID: "acc", accountName: "Acme", accessToken: Secret("a0"), refreshToken: Secret("r0"), accessExpiresAt: Date(),
                connectedAt: Date()),
            actor: "test")
        let other = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        #expect(try ledger.claimJobberRefresh(accountID: "acc", refreshToken: Secret("r0"), lease: 30) == .claimed)
        guard case .busy = try other.claimJobberRefresh(accountID: "acc", refreshToken: Secret("r0"), lease: 30) else {
            Issue.record("a second process must wait while the first refreshes")
            return
        }
        let stored = try ledger.storeRefreshedJobberTokens(
            accountID: "acc", replacing: Secret("r0"), accessToken: Secret("a1"), refreshToken: Secret("r1"), accessExpiresAt: Date(),
            actor: "test")
        #expect(stored?.refreshToken.expose() == "r1")
        // A late writer that refreshed r0 too does not overwrite r1 with its older result.
        let late = try other.storeRefreshedJobberTokens(
            accountID: "acc", replacing: Secret("r0"), accessToken: Secret("a2"), refreshToken: Secret("r2"), accessExpiresAt: Date(),
            actor: "test")
        #expect(late?.refreshToken.expose() == "r1")
        guard case .replaced(let current) = try other.claimJobberRefresh(accountID: "acc", refreshToken: Secret("r0"), lease: 30) else {
            Issue.record("a stale pair is answered with the stored one")
            return
        }
        #expect(current.accessToken.expose() == "a1")
        try ledger.disconnectJobberAccount("acc", actor: "test")
        #expect(try other.claimJobberRefresh(accountID: "acc", refreshToken: Secret(""), lease: 30) == .notConnected)
    }
}

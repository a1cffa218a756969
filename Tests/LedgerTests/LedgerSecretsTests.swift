import Foundation
import GRDB
import Ledger
import PosPlusCore
import TestSupport
import Testing

/// Jobber tokens are sealed with the ledger key: the files on disk never hold them, a copy
/// without the key cannot read them (and says what to do), and the refresh compare-and-swap
/// still compares the tokens themselves.
@Suite("Ledger: secrets sealed with the ledger key")
struct LedgerSecretsTests {
    static let access = "access-TOKEN-a1b2c3d4e5f6"
    static let refresh = "refresh-TOKEN-f6e5d4c3b2a1"

    func connection(access: String = access, refresh: String = refresh, at time: Date) -> JobberConnection {
        JobberConnection(
            accountID: "acct-1", accountName: "Acme Plumbing", accessToken: Secret(access), refreshToken: Secret(refresh),
            accessExpiresAt: time.addingTimeInterval(3600), connectedAt: time)
    }

    /// Every byte of the database and its companions, as a thief copying them would have them.
    func rawFiles(_ path: String) -> Data {
        ["", "-wal", "-shm"].reduce(into: Data()) { all, suffix in all += FileManager.default.contents(atPath: path + suffix) ?? Data() }
    }

    func contains(_ data: Data, _ text: String) -> Bool { data.range(of: Data(text.utf8)) != nil }

    @Test func theFilesOnDiskNeverHoldATokenAndTheLedgerReadsThemBack() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.saveJobberConnection(connection(at: fixture.clock.now), actor: "ada")
        let stored = try #require(try fixture.ledger.jobberConnection())
        #expect(stored.accessToken.expose() == Self.access && stored.refreshToken.expose() == Self.refresh)
        _ = try fixture.ledger.storeRefreshedJobberTokens(
            accountID: "acct-1", replacing: Secret(Self.refresh), accessToken: Secret(Self.access + "-2"),
            refreshToken: Secret(Self.refresh + "-2"), accessExpiresAt: fixture.clock.now.addingTimeInterval(7200), actor: "outbox")
        #expect(try fixture.ledger.jobberConnection()?.refreshToken.expose() == Self.refresh + "-2")

        let raw = rawFiles(fixture.path)
        #expect(FileManager.default.fileExists(atPath: fixture.path + "-wal"))
        #expect(!contains(raw, "TOKEN"))
        let column = try DatabaseQueue(path: fixture.path).read { db in
            try String.fetchOne(db, sql: "SELECT refreshToken FROM jobberConnection")
        }
        #expect(column?.hasPrefix("enc1:") == true)
    }

    @Test func aCopyOpenedWithAnotherKeyCannotReadTheTokensSaysSoAndKeepsItsPayments() throws {
        let fixture = try LedgerFixture()
        _ = try fixture.approvedSale(2_500, key: "k1")
        try fixture.ledger.saveJobberConnection(connection(at: fixture.clock.now), actor: "ada")
        let copyFolder = fixture.folder.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copyFolder, withIntermediateDirectories: true)
        let copy = copyFolder.appendingPathComponent("ledger.sqlite").path
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: fixture.path + suffix) {
            try FileManager.default.copyItem(atPath: fixture.path + suffix, toPath: copy + suffix)
        }

        let thief = try Ledger.open(at: copy, key: LedgerKey.generate())
        #expect(throws: LedgerError.secretUnreadable("the Jobber tokens")) { try thief.jobberConnection() }
        let message = LedgerError.secretUnreadable("the Jobber tokens").description
        #expect(message.contains("the ledger's key is missing or different; run `posplus jobber connect` again"))
        // Losing the key costs the Jobber connection, never a payment.
        #expect(try thief.payments().count == 1)
        // Connecting again works without the old key.
        try thief.saveJobberConnection(connection(access: "new-a", refresh: "new-r", at: fixture.clock.now), actor: "ada")
        #expect(try thief.jobberConnection()?.refreshToken.expose() == "new-r")
    }

    @Test func aSealedTokenMovedToAnotherColumnDoesNotOpen() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.saveJobberConnection(connection(at: fixture.clock.now), actor: "ada")
        try DatabaseQueue(path: fixture.path).write { db in
            try db.execute(sql: "UPDATE jobberConnection SET accessToken = refreshToken")
        }
        #expect(throws: LedgerError.secretUnreadable("the Jobber tokens")) { try fixture.ledger.jobberConnection() }
    }

    @Test func theRefreshCompareAndSwapComparesTheTokensNotTheirSealedForm() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.saveJobberConnection(connection(at: fixture.clock.now), actor: "ada")
        let other = try fixture.reopen()
        #expect(try other.claimJobberRefresh(accountID: "acct-1", refreshToken: Secret("stale"), lease: 30) != .claimed)
        #expect(try other.claimJobberRefresh(accountID: "acct-1", refreshToken: Secret(Self.refresh), lease: 30) == .claimed)
        try other.releaseJobberRefresh(accountID: "acct-1", refreshToken: Secret(Self.refresh))
        #expect(try fixture.ledger.claimJobberRefresh(accountID: "acct-1", refreshToken: Secret(Self.refresh), lease: 30) == .claimed)
        let stale = try fixture.ledger.storeRefreshedJobberTokens(
            accountID: "acct-1", replacing: Secret("stale"), accessToken: Secret("x"), refreshToken: Secret("y"),
            accessExpiresAt: fixture.clock.now, actor: "outbox")
        #expect(stale?.refreshToken.expose() == Self.refresh)
        #expect(
            try fixture.ledger.markJobberDisconnected(accountID: "acct-1", refusedAccessToken: Secret(Self.access), actor: "jobber"))
    }
}

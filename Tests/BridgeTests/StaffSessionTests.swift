import Bridge
import Foundation
import Ledger
import PosPlusCore
import TestSupport
import Testing

/// Sessions and API tokens over a real ledger file: expiry on a clock the test moves, CSRF
/// bound to the session, and a revoke seen at once through a second process's connection.
@Suite("Staff sessions and API tokens", .timeLimit(.minutes(1)))
struct StaffSessionTests {
    /// 30 minutes idle, 2 hours absolute.
    static var settings: StaffSettings {
        var settings = StaffWorld.testSettings
        settings.sessionIdle = .seconds(30 * 60)
        settings.sessionMax = .seconds(2 * 3_600)
        return settings
    }

    @Test func aSessionEndsAfterTheIdleLimitWithoutUse() async throws {
        let world = try StaffWorld(settings: Self.settings)
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        let login = try await world.sessions.login(name: "ada", password: "correct horse", from: nil)
        world.clock.advance(29 * 60)
        #expect(try world.sessions.authenticate(cookie: login.secret.text).name == "ada")
        // Used at minute 29: idle counts from there.
        world.clock.advance(29 * 60)
        #expect(try world.sessions.authenticate(cookie: login.secret.text).name == "ada")
        world.clock.advance(30 * 60)
        #expect(throws: StaffError.credentialEnded("Your session ended after 30 minutes without use; log in again.")) {
            try world.sessions.authenticate(cookie: login.secret.text)
        }
    }

    @Test func aSessionEndsAtItsAbsoluteLimitHoweverBusy() async throws {
        let world = try StaffWorld(settings: Self.settings)
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        let login = try await world.sessions.login(name: "ada", password: "correct horse", from: nil)
        for _ in 0..<7 {
            world.clock.advance(17 * 60)
            _ = try world.sessions.authenticate(cookie: login.secret.text)
        }
        world.clock.advance(2 * 3_600 - 7 * 17 * 60)
        #expect(throws: StaffError.credentialEnded("Your session reached its 2 hours limit; log in again.")) {
            try world.sessions.authenticate(cookie: login.secret.text)
        }
    }

    @Test func logoutEndsTheSessionAndOnlyItsHashIsStored() async throws {
        let world = try StaffWorld(settings: Self.settings)
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        let login = try await world.sessions.login(name: "ada", password: "correct horse", from: nil)
        let stored = try #require(try world.ledger.session(secretHash: login.secret.hash))
        #expect(stored.session.secretHash != login.secret.text)
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: world.path + "-wal"))) ?? Data()
        #expect(bytes.range(of: Data(login.secret.text.utf8)) == nil)
        try world.sessions.logout(login.identity)
        #expect(throws: StaffError.self) { try world.sessions.authenticate(cookie: login.secret.text) }
        #expect(throws: StaffError.self) { try world.sessions.authenticate(cookie: "not-a-session") }
    }

    @Test func theCSRFTokenBelongsToItsSessionOnly() async throws {
        let world = try StaffWorld(settings: Self.settings)
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        let first = try await world.sessions.login(name: "ada", password: "correct horse", from: nil)
        let second = try await world.sessions.login(name: "ada", password: "correct horse", from: nil)
        #expect(CSRFToken.isValid(first.csrfToken, for: first.secret))
        #expect(!CSRFToken.isValid(second.csrfToken, for: first.secret))
        #expect(!CSRFToken.isValid(nil, for: first.secret))
        #expect(!CSRFToken.isValid("", for: first.secret))
        #expect(!CSRFToken.isValid(String(first.csrfToken.dropLast()) + "A", for: first.secret) || first.csrfToken.hasSuffix("A"))
    }

    @Test func aSecondProcessSeesATokenRevokeAndADisableAtOnce() async throws {
        let world = try StaffWorld(settings: Self.settings)
        defer { world.remove() }
        try await world.add("boss", .owner)
        try await world.add("ada", .frontDesk)
        let other = try world.secondView()
        let otherDirectory = StaffDirectory(ledger: other, settings: Self.settings)
        let otherTokens = APITokens(directory: otherDirectory, settings: Self.settings)
        let otherSessions = StaffSessions(directory: otherDirectory, settings: Self.settings)

        let issued = try world.tokens.create(for: "ada", label: "script", by: "boss")
        #expect(try otherTokens.authenticate(bearer: issued.token.text).name == "ada")
        _ = try world.tokens.revoke(id: issued.record.id, by: "boss")
        #expect(throws: StaffError.credentialEnded("This API token was revoked; make a new one.")) {
            try otherTokens.authenticate(bearer: issued.token.text)
        }

        let login = try await otherSessions.login(name: "ada", password: "correct horse", from: nil)
        #expect(try world.sessions.authenticate(cookie: login.secret.text).name == "ada")
        _ = try world.directory.disable("ada", by: "boss")
        #expect(throws: StaffError.self) { try otherSessions.authenticate(cookie: login.secret.text) }
    }

    @Test func aPasswordResetEndsSessionsButKeepsTokens() async throws {
        let world = try StaffWorld(settings: Self.settings)
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        let login = try await world.sessions.login(name: "ada", password: "correct horse", from: nil)
        let issued = try world.tokens.create(for: "ada", label: "script", by: "ada")
        _ = try await world.directory.resetPassword("ada", to: try StaffPassword("a new password"), by: "ada")
        #expect(throws: StaffError.self) { try world.sessions.authenticate(cookie: login.secret.text) }
        #expect(try world.tokens.authenticate(bearer: issued.token.text).name == "ada")
        #expect(try await world.sessions.login(name: "ada", password: "a new password", from: nil).identity.name == "ada")
    }

    @Test func eachRoleHoldsAtLeastTheRoleBelowIt() {
        let order: [StaffRole] = [.technician, .frontDesk, .manager, .owner]
        for (lower, higher) in zip(order, order.dropFirst()) {
            #expect(lower.permissions.isSubset(of: higher.permissions), "\(higher) lacks some of \(lower)'s permissions")
            #expect(lower.permissions != higher.permissions)
        }
        #expect(!StaffRole.technician.may(.chargeCard))
        #expect(StaffRole.frontDesk.may(.refund) && !StaffRole.frontDesk.may(.approve))
        #expect(StaffRole.manager.may(.approve) && !StaffRole.manager.may(.manageStaff))
        #expect(StaffRole.owner.may(.configure))
    }
}

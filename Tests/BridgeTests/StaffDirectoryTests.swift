import Bridge
import Foundation
import Ledger
import PosPlusCore
import TestSupport
import Testing

/// Staff logins against a real ledger file: what is stored, what each wrong login is told,
/// and how failures lock a name out and let it back in, on a clock the test moves.
@Suite("Staff directory: passwords, logins, lock-outs", .timeLimit(.minutes(1)))
struct StaffDirectoryTests {
    @Test func thePasswordIsStoredOnlyAsABcryptHash() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        let person = try await world.add("ada", .owner, password: "Tr0ub4dor&3-unique")
        #expect(person.passwordHash.hasPrefix("$2b$04$"))
        #expect(person.passwordHash.count == 60)
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: world.path + suffix))) ?? Data()
            #expect(bytes.range(of: Data("Tr0ub4dor&3-unique".utf8)) == nil, "found the password in ledger.sqlite\(suffix)")
        }
    }

    @Test func theRightPasswordLogsIn() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        try await world.add("Ada", .frontDesk)
        let person = try await world.directory.verifyLogin(name: "ADA", password: "correct horse", from: "10.0.0.5")
        #expect(person.name == "Ada")
        #expect(person.role == .frontDesk)
    }

    @Test func aWrongPasswordAndAnUnknownNameGetTheSameAnswer() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        let wrong = await #expect(throws: StaffError.self) {
            try await world.directory.verifyLogin(name: "ada", password: "battery staple", from: nil)
        }
        let unknown = await #expect(throws: StaffError.self) {
            try await world.directory.verifyLogin(name: "grace", password: "correct horse", from: nil)
        }
        #expect(wrong == .loginRefused)
        #expect(unknown == wrong)
        #expect(unknown?.description == "That name and password do not match a staff login; check both and try again.")
    }

    /// The decoy check: an unknown name pays a bcrypt verification like a wrong password does,
    /// so the time taken does not tell who exists (cost 10 makes one check tens of milliseconds;
    /// skipping it would be a thousand times faster, so the margin leaves room for a busy machine).
    @Test func anUnknownNameTakesAsLongAsAWrongPassword() async throws {
        var settings = StaffWorld.testSettings
        settings.bcryptCost = 10
        settings.loginAttempts = 20
        let world = try StaffWorld(settings: settings)
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        let directory = world.directory
        func fastest(_ name: String) async -> Duration {
            var best = Duration.seconds(60)
            for _ in 0..<3 {
                let start = ContinuousClock.now
                _ = try? await directory.verifyLogin(name: name, password: "not the one", from: nil)
                best = min(best, ContinuousClock.now - start)
            }
            return best
        }
        _ = await fastest("nobody")  // the decoy hash is made on first use
        let wrong = await fastest("ada")
        let unknown = await fastest("grace")
        #expect(unknown > wrong * 0.25, "unknown name \(unknown) vs wrong password \(wrong)")
    }

    @Test func aDisabledPersonIsToldSoOnlyWithTheRightPassword() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        try await world.add("owner", .owner)
        try await world.add("ada", .frontDesk)
        _ = try world.directory.disable("ada", by: "owner")
        await #expect(throws: StaffError.disabled("ada")) {
            try await world.directory.verifyLogin(name: "ada", password: "correct horse", from: nil)
        }
        await #expect(throws: StaffError.loginRefused) {
            try await world.directory.verifyLogin(name: "ada", password: "wrong one!", from: nil)
        }
    }

    @Test func namesAreUniqueWhateverTheirCaseAndCheckedAtTheEdge() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        try await world.add("Ada", .manager)
        await #expect(throws: StaffError.ledger(.staffExists("ada"))) { try await world.add("ada", .technician) }
        let invalid = await #expect(throws: StaffError.self) { try await world.add("ada lovelace", .technician) }
        #expect(invalid?.code == "invalid_name")
        #expect(invalid?.description.contains("letters, digits") == true)
        #expect(throws: StaffError.self) { try StaffPassword("short") }
        #expect(throws: StaffError.self) { try StaffPassword("has a\ttab in it") }
        #expect(throws: StaffError.self) { try StaffPassword(String(repeating: "x", count: 73)) }
    }

    @Test func theLastOwnerCannotBeDisabled() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        try await world.add("owner", .owner)
        #expect(throws: StaffError.ledger(.lastOwner("owner"))) { try world.directory.disable("owner", by: "test") }
        try await world.add("second", .owner)
        #expect(try world.directory.disable("owner", by: "second").isDisabled)
    }

    @Test func fiveFailuresLockANameUntilTheOldestLeavesTheWindow() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        let directory = world.directory
        for _ in 0..<5 {
            await #expect(throws: StaffError.loginRefused) {
                try await directory.verifyLogin(name: "ada", password: "guess!!!", from: "10.0.0.1")
            }
            world.clock.advance(60)
        }
        // Five failures at 0..4 minutes; now it is minute 5: locked until minute 15.
        let locked = await #expect(throws: StaffError.self) {
            try await directory.verifyLogin(name: "ada", password: "correct horse", from: "10.0.0.2")
        }
        #expect(locked == .locked(retryAfter: 600, byAddress: false))
        #expect(
            locked?.description == "Too many failed logins for this name; try again in 10 minutes, or ask an owner to reset the password.")
        world.clock.advance(599)
        await #expect(throws: StaffError.locked(retryAfter: 1, byAddress: false)) {
            try await directory.verifyLogin(name: "ada", password: "correct horse", from: "10.0.0.2")
        }
        world.clock.advance(1)
        #expect(try await directory.verifyLogin(name: "ada", password: "correct horse", from: "10.0.0.2").name == "ada")
    }

    @Test func anUnknownNameIsLockedLikeARealOne() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        for _ in 0..<5 { _ = try? await world.directory.verifyLogin(name: "ghost", password: "guess!!!", from: nil) }
        await #expect(throws: StaffError.locked(retryAfter: 900, byAddress: false)) {
            try await world.directory.verifyLogin(name: "ghost", password: "guess!!!", from: nil)
        }
    }

    @Test func aLoginClearsTheFailuresCountedAgainstTheName() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        let sessions = world.sessions
        for _ in 0..<4 { _ = try? await sessions.login(name: "ada", password: "guess!!!", from: nil) }
        _ = try await sessions.login(name: "ada", password: "correct horse", from: nil)
        for _ in 0..<4 { _ = try? await sessions.login(name: "ada", password: "guess!!!", from: nil) }
        #expect(try await sessions.login(name: "ada", password: "correct horse", from: nil).identity.name == "ada")
    }

    @Test func oneAddressTryingManyNamesIsLockedOut() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        try await world.add("ada", .frontDesk)
        for index in 0..<20 { _ = try? await world.directory.verifyLogin(name: "name\(index)", password: "guess!!!", from: "203.0.113.9") }
        await #expect(throws: StaffError.locked(retryAfter: 900, byAddress: true)) {
            try await world.directory.verifyLogin(name: "ada", password: "correct horse", from: "203.0.113.9")
        }
        #expect(try await world.directory.verifyLogin(name: "ada", password: "correct horse", from: "10.0.0.7").name == "ada")
    }

    @Test func everyChangeIsInTheAuditLogWithWhoMadeIt() async throws {
        let world = try StaffWorld()
        defer { world.remove() }
        try await world.add("boss", .owner)
        try await world.add("ada", .frontDesk)
        _ = try? await world.sessions.login(name: "ada", password: "nope nope", from: "10.0.0.1")
        let login = try await world.sessions.login(name: "ada", password: "correct horse", from: "10.0.0.1")
        try world.sessions.logout(login.identity)
        _ = try await world.directory.resetPassword("ada", to: try StaffPassword("new password 1"), by: "boss")
        let token = try world.tokens.create(for: "ada", label: "export", by: "boss")
        _ = try world.tokens.revoke(id: token.record.id, by: "boss")
        _ = try world.directory.disable("ada", by: "boss")
        let events = try world.ledger.auditEvents().filter { !$0.kind.hasPrefix("audit.") }.map { "\($0.kind) \($0.actor)" }
        #expect(
            events == [
                "staff.add test", "staff.add test", "login.failed ada", "login.ok ada", "session.end ada", "staff.password boss",
                "token.create boss", "token.revoke boss", "staff.disable boss",
            ])
        #expect(try world.ledger.verifyAuditChain().isIntact)
    }
}

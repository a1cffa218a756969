import Foundation
import Ledger
import PosPlusCore

/// The staff list: adding people, disabling them, resetting passwords, and checking a login.
///
/// Every change is one ledger transaction with its audit event naming `actor`. Nothing is kept
/// in memory between calls: several processes (the CLI while `serve` runs) share the ledger,
/// and a person disabled in one must be disabled in all at once.
public struct StaffDirectory: Sendable {
    public let ledger: Ledger
    public let hasher: PasswordHasher
    public let throttle: LoginThrottle

    public init(ledger: Ledger, settings: StaffSettings, hasher: PasswordHasher? = nil) {
        self.ledger = ledger
        self.hasher = hasher ?? PasswordHasher(cost: settings.bcryptCost)
        self.throttle = LoginThrottle(settings: settings)
    }

    /// Adds a person with a role and a first password.
    public func add(_ name: String, role: StaffRole, password: StaffPassword, by actor: String) async throws(StaffError) -> StaffRecord {
        let name = try Self.name(name)
        let hash = await hasher.hash(password)  // before the transaction: it is slow
        return try Self.ledger { try ledger.addStaff(NewStaff(name: name, role: role, passwordHash: hash), actor: actor) }
    }

    /// Everyone, by name.
    public func list() throws(StaffError) -> [StaffRecord] { try Self.ledger { try ledger.allStaff() } }

    /// The person with this name, if any.
    public func find(_ name: String) throws(StaffError) -> StaffRecord? {
        let name = try Self.name(name)
        return try Self.ledger { try ledger.staff(named: name) }
    }

    /// Disables a person, ending their sessions and revoking their tokens.
    public func disable(_ name: String, by actor: String) throws(StaffError) -> StaffRecord {
        let name = try Self.name(name)
        return try Self.ledger { try ledger.disableStaff(named: name, actor: actor) }
    }

    /// Sets a new password and ends the person's sessions.
    public func resetPassword(_ name: String, to password: StaffPassword, by actor: String) async throws(StaffError) -> StaffRecord {
        let name = try Self.name(name)
        guard try Self.ledger({ try ledger.staff(named: name) }) != nil else { throw .ledger(.staffNotFound(name.rawValue)) }
        let hash = await hasher.hash(password)
        return try Self.ledger { try ledger.setPasswordHash(hash, forStaff: name, actor: actor) }
    }

    /// Checks a login and returns the person, or refuses it.
    ///
    /// An unknown name and a wrong password take the same path: the throttle, one bcrypt check
    /// (against a decoy hash when there is no such person), one recorded failure, and the same
    /// ``StaffError/loginRefused``. Only the right password for a disabled person learns that it
    /// is disabled. A locked name or address is refused before any password is checked.
    public func verifyLogin(name typed: String, password: String, from address: String?) async throws(StaffError) -> StaffRecord {
        let name = try? StaffName(typed)
        let nameKey = name?.key ?? String(typed.lowercased().prefix(StaffName.lengths.upperBound + 1))
        let now = ledger.now()
        let windowStart = throttle.windowStart(at: now)
        let failures = try Self.ledger { try ledger.loginFailures(nameKey: nameKey, address: address, since: windowStart) }
        if let lock = throttle.lock(failures, at: now) { throw lock }
        let person = try name.flatMap { name throws(StaffError) in try Self.ledger { try ledger.staff(named: name) } }
        let matches = await hasher.verify(password, against: person?.passwordHash)
        func fail(_ reason: String, _ error: StaffError) throws(StaffError) -> Never {
            let failure = LoginFailure(name: name, nameKey: nameKey, clientAddress: address, reason: reason)
            try Self.ledger { try ledger.recordLoginFailure(failure, forgetBefore: windowStart) }
            throw error
        }
        guard let person else { try fail("unknown name", .loginRefused) }
        guard matches else { try fail("wrong password", .loginRefused) }
        guard !person.isDisabled else { try fail("disabled", .disabled(person.name)) }
        return person
    }

    /// A name checked at the edge, or a sentence saying what a name must be.
    static func name(_ text: String) throws(StaffError) -> StaffName {
        do { return try StaffName(text) } catch { throw .invalidName(error.description) }
    }

    /// Runs a ledger call, its errors as ``StaffError/ledger(_:)``.
    static func ledger<T>(_ body: () throws -> T) throws(StaffError) -> T {
        do { return try body() } catch let error as LedgerError { throw .ledger(error) } catch {
            throw .ledger(.storage("\(error)"))
        }
    }
}

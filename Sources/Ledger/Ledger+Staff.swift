import Foundation
import GRDB
import PosPlusCore

/// A person to add: the name checked at the edge, and the bcrypt hash made by the caller
/// (hashing is slow, so it happens before the transaction, not inside it).
public struct NewStaff: Equatable, Sendable {
    public var name: StaffName
    public var role: StaffRole
    public var passwordHash: String

    public init(name: StaffName, role: StaffRole, passwordHash: String) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
    }
}

/// Staff: each change is one transaction with its audit event, `actor` being who made it.
extension Ledger {
    /// Adds a person. A name that differs from an existing one only in case is refused.
    @discardableResult
    public func addStaff(_ new: NewStaff, actor: String) throws -> StaffRecord {
        try write { db in
            if try StaffRecord.filter(Column("name") == new.name.rawValue).fetchOne(db) != nil {
                throw LedgerError.staffExists(new.name.rawValue)
            }
            let time = now()
            let record = try StaffRecord.Draft(
                name: new.name.rawValue, role: new.role, passwordHash: new.passwordHash, createdAt: time, updatedAt: time
            ).insertAndFetch(db, as: StaffRecord.self)
            try AuditChain.append(
                db, kind: "staff.add", paymentID: nil, actor: actor,
                detail: ["staff": .integer(record.id), "name": .text(record.name), "role": .text(record.role.rawValue)], at: time)
            return record
        }
    }

    /// The person with this name, whatever its case (the column compares without case).
    public func staff(named name: StaffName) throws -> StaffRecord? {
        try read { db in try StaffRecord.filter(Column("name") == name.rawValue).fetchOne(db) }
    }

    public func staff(id: Int64) throws -> StaffRecord? {
        try read { db in try StaffRecord.fetchOne(db, key: id) }
    }

    /// Everyone, in name order (disabled people too: the audit log names them).
    public func allStaff() throws -> [StaffRecord] {
        try read { db in try StaffRecord.order(Column("name").collating(.nocase)).fetchAll(db) }
    }

    /// Disables a person and, in the same transaction, ends their sessions and revokes their API
    /// tokens, so nothing they hold works a moment longer in any process. Disabling the last
    /// owner who can log in is refused. Disabling someone already disabled changes nothing.
    @discardableResult
    public func disableStaff(named name: StaffName, actor: String) throws -> StaffRecord {
        try write { db in
            guard var person = try StaffRecord.filter(Column("name") == name.rawValue).fetchOne(db) else {
                throw LedgerError.staffNotFound(name.rawValue)
            }
            guard !person.isDisabled else { return person }
            if person.role == .owner {
                let owners = try StaffRecord.filter(Column("role") == StaffRole.owner.rawValue && Column("disabledAt") == nil).fetchCount(
                    db)
                if owners <= 1 { throw LedgerError.lastOwner(person.name) }
            }
            let time = now()
            person.disabledAt = time
            person.updatedAt = time
            try person.update(db)
            let sessions = try endSessions(of: person.id, at: time, db)
            let tokens = try APITokenRecord.filter(Column("staffID") == person.id && Column("revokedAt") == nil)
                .updateAll(db, Column("revokedAt").set(to: time))
            try AuditChain.append(
                db, kind: "staff.disable", paymentID: nil, actor: actor,
                detail: [
                    "staff": .integer(person.id), "name": .text(person.name), "sessionsEnded": .integer(Int64(sessions)),
                    "tokensRevoked": .integer(Int64(tokens)),
                ], at: time)
            return person
        }
    }

    /// Replaces a person's password hash and ends their sessions: whoever knew the old password
    /// and logged in with it is logged out. API tokens are kept (they do not depend on it).
    @discardableResult
    public func setPasswordHash(_ hash: String, forStaff name: StaffName, actor: String) throws -> StaffRecord {
        try write { db in
            guard var person = try StaffRecord.filter(Column("name") == name.rawValue).fetchOne(db) else {
                throw LedgerError.staffNotFound(name.rawValue)
            }
            let time = now()
            person.passwordHash = hash
            person.updatedAt = time
            try person.update(db)
            let sessions = try endSessions(of: person.id, at: time, db)
            try AuditChain.append(
                db, kind: "staff.password", paymentID: nil, actor: actor,
                detail: ["staff": .integer(person.id), "name": .text(person.name), "sessionsEnded": .integer(Int64(sessions))], at: time)
            return person
        }
    }

    /// Ends every open session of a person inside the caller's transaction; how many it ended.
    func endSessions(of staffID: Int64, at time: Date, _ db: Database) throws -> Int {
        try StaffSessionRecord.filter(Column("staffID") == staffID && Column("revokedAt") == nil)
            .updateAll(db, Column("revokedAt").set(to: time))
    }
}

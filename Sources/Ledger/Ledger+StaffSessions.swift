import Foundation
import GRDB
import PosPlusCore

/// A session to open after the password was checked.
public struct NewStaffSession: Equatable, Sendable {
    public var staffID: Int64
    /// SHA-256 (hex) of the cookie's secret.
    public var secretHash: String
    public var clientAddress: String?
    public var expiresAt: Date

    public init(staffID: Int64, secretHash: String, clientAddress: String?, expiresAt: Date) {
        self.staffID = staffID
        self.secretHash = secretHash
        self.clientAddress = clientAddress
        self.expiresAt = expiresAt
    }
}

/// A session and its person, read together in one snapshot.
public struct StaffSessionStanding: Equatable, Sendable {
    public var session: StaffSessionRecord
    public var staff: StaffRecord
}

/// Sessions: read fresh on every request (several processes share them), written only at
/// login, logout and a periodic touch.
extension Ledger {
    /// Opens a session for a person whose password the caller has just checked, in one
    /// transaction that also clears the failures counted against their name and appends
    /// `login.ok`. A person disabled since the check gets ``LedgerError/staffDisabled(_:)``.
    public func openSession(_ new: NewStaffSession) throws -> StaffSessionStanding {
        try write { db in
            guard let person = try StaffRecord.fetchOne(db, key: new.staffID) else { throw LedgerError.staffNotFound("#\(new.staffID)") }
            guard !person.isDisabled else { throw LedgerError.staffDisabled(person.name) }
            let time = now()
            let session = try StaffSessionRecord.Draft(
                staffID: person.id, secretHash: new.secretHash, clientAddress: new.clientAddress, createdAt: time, lastSeenAt: time,
                expiresAt: new.expiresAt
            ).insertAndFetch(db, as: StaffSessionRecord.self)
            try LoginFailureRows.clear(nameKey: person.name.lowercased(), db)
            try AuditChain.append(
                db, kind: "login.ok", paymentID: nil, actor: person.name,
                detail: ["staff": .integer(person.id), "session": .integer(session.id), "address": AuditValue(new.clientAddress)],
                at: time)
            return StaffSessionStanding(session: session, staff: person)
        }
    }

    /// The session whose secret hashes to `secretHash`, with its person, as stored now
    /// (revoked and expired ones included: the caller decides, with its own settings).
    public func session(secretHash: String) throws -> StaffSessionStanding? {
        try read { db in
            guard let session = try StaffSessionRecord.filter(Column("secretHash") == secretHash).fetchOne(db),
                let person = try StaffRecord.fetchOne(db, key: session.staffID)
            else { return nil }
            return StaffSessionStanding(session: session, staff: person)
        }
    }

    /// Records that a session was used at `time` (idle expiry counts from it). Not audited:
    /// it happens on every request.
    public func touchSession(id: Int64, at time: Date) throws {
        try write { db in
            _ = try StaffSessionRecord.filter(Column("id") == id && Column("revokedAt") == nil)
                .updateAll(db, Column("lastSeenAt").set(to: time))
        }
    }

    /// Ends a session (logout). Ending one already ended changes nothing and appends nothing.
    public func endSession(id: Int64, actor: String) throws {
        try write { db in
            guard var session = try StaffSessionRecord.fetchOne(db, key: id), session.revokedAt == nil else { return }
            let time = now()
            session.revokedAt = time
            try session.update(db)
            try AuditChain.append(
                db, kind: "session.end", paymentID: nil, actor: actor,
                detail: ["staff": .integer(session.staffID), "session": .integer(id)], at: time)
        }
    }
}

import Foundation
import GRDB
import PosPlusCore

/// A token to store: only its hash, with whom it acts as and what it is for.
public struct NewAPIToken: Equatable, Sendable {
    public var staffID: Int64
    public var label: String
    /// SHA-256 (hex) of the token.
    public var secretHash: String

    public init(staffID: Int64, label: String, secretHash: String) {
        self.staffID = staffID
        self.label = label
        self.secretHash = secretHash
    }
}

/// A token and its person, read together in one snapshot.
public struct APITokenStanding: Equatable, Sendable {
    public var token: APITokenRecord
    public var staff: StaffRecord
}

/// API tokens: each one acts as one staff member, with that person's role.
extension Ledger {
    /// Stores a token for an enabled person, with its `token.create` event.
    public func createAPIToken(_ new: NewAPIToken, actor: String) throws -> APITokenRecord {
        guard (1...64).contains(new.label.count) else { throw LedgerError.invalidRequest("A token's label must be 1 to 64 characters.") }
        return try write { db in
            guard let person = try StaffRecord.fetchOne(db, key: new.staffID) else { throw LedgerError.staffNotFound("#\(new.staffID)") }
            guard !person.isDisabled else { throw LedgerError.staffDisabled(person.name) }
            let time = now()
            let token = try APITokenRecord.Draft(staffID: person.id, label: new.label, secretHash: new.secretHash, createdAt: time)
                .insertAndFetch(db, as: APITokenRecord.self)
            try AuditChain.append(
                db, kind: "token.create", paymentID: nil, actor: actor,
                detail: ["token": .integer(token.id), "staff": .integer(person.id), "name": .text(person.name), "label": .text(new.label)],
                at: time)
            return token
        }
    }

    /// Tokens with their people, newest first; one person's when `staffID` is given.
    public func apiTokens(staffID: Int64? = nil) throws -> [APITokenStanding] {
        try read { db in
            var request = APITokenRecord.order(Column("id").desc)
            if let staffID { request = request.filter(Column("staffID") == staffID) }
            let people = Dictionary(uniqueKeysWithValues: try StaffRecord.fetchAll(db).map { ($0.id, $0) })
            return try request.fetchAll(db).compactMap { token in people[token.staffID].map { APITokenStanding(token: token, staff: $0) } }
        }
    }

    /// Revokes a token, with its `token.revoke` event; revoking one already revoked changes nothing.
    @discardableResult
    public func revokeAPIToken(id: Int64, actor: String) throws -> APITokenRecord {
        try write { db in
            guard var token = try APITokenRecord.fetchOne(db, key: id) else { throw LedgerError.apiTokenNotFound(id) }
            guard token.revokedAt == nil else { return token }
            let time = now()
            token.revokedAt = time
            try token.update(db)
            try AuditChain.append(
                db, kind: "token.revoke", paymentID: nil, actor: actor,
                detail: ["token": .integer(id), "staff": .integer(token.staffID), "label": .text(token.label)], at: time)
            return token
        }
    }

    /// The token whose SHA-256 is `secretHash`, with its person, as stored now.
    public func apiToken(secretHash: String) throws -> APITokenStanding? {
        try read { db in
            guard let token = try APITokenRecord.filter(Column("secretHash") == secretHash).fetchOne(db),
                let person = try StaffRecord.fetchOne(db, key: token.staffID)
            else { return nil }
            return APITokenStanding(token: token, staff: person)
        }
    }

    /// Records that a token was used at `time` (shown by `staff token list`). Not audited.
    public func touchAPIToken(id: Int64, at time: Date) throws {
        try write { db in
            _ = try APITokenRecord.filter(Column("id") == id).updateAll(db, Column("lastUsedAt").set(to: time))
        }
    }
}

import Foundation
import Ledger
import PosPlusCore

/// A token just made: the only time its text exists outside the script that receives it.
public struct IssuedAPIToken: Sendable {
    public var record: APITokenRecord
    public var token: SecretToken
}

/// API tokens for scripts: each acts as one staff member with that person's role, sends
/// `Authorization: Bearer ppt_…`, and needs no CSRF token (a browser never adds it by itself).
/// Only the token's SHA-256 is stored; every use reads the ledger afresh, so a revoke in one
/// process stops the token in every other at once.
public struct APITokens: Sendable {
    public let directory: StaffDirectory
    /// How stale `lastUsedAt` may get before a use writes it again.
    public let touchInterval: Duration

    public init(directory: StaffDirectory, settings: StaffSettings) {
        self.directory = directory
        self.touchInterval = settings.touchInterval
    }

    private var ledger: Ledger { directory.ledger }

    /// Makes a token for `name`, labelled so a list says what it is for.
    public func create(for name: String, label: String, by actor: String) throws(StaffError) -> IssuedAPIToken {
        let label = label.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(label.count), label.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw .invalidRequest("A token's label must be 1 to 64 printable characters, such as \"nightly export\".")
        }
        guard let person = try directory.find(name) else { throw .ledger(.staffNotFound(name)) }
        let token = SecretToken.random(prefix: SecretToken.apiTokenPrefix)
        let record = try StaffDirectory.ledger {
            try ledger.createAPIToken(NewAPIToken(staffID: person.id, label: label, secretHash: token.hash), actor: actor)
        }
        return IssuedAPIToken(record: record, token: token)
    }

    /// Tokens with their people, newest first; one person's when `name` is given.
    public func list(for name: String? = nil) throws(StaffError) -> [APITokenStanding] {
        var staffID: Int64?
        if let name {
            guard let person = try directory.find(name) else { throw .ledger(.staffNotFound(name)) }
            staffID = person.id
        }
        return try StaffDirectory.ledger { try ledger.apiTokens(staffID: staffID) }
    }

    public func revoke(id: Int64, by actor: String) throws(StaffError) -> APITokenRecord {
        try StaffDirectory.ledger { try ledger.revokeAPIToken(id: id, actor: actor) }
    }

    /// The person behind a bearer token, or why it does not work.
    public func authenticate(bearer text: String) throws(StaffError) -> StaffIdentity {
        guard let token = SecretToken(presented: text, prefix: SecretToken.apiTokenPrefix),
            let standing = try StaffDirectory.ledger({ try ledger.apiToken(secretHash: token.hash) })
        else { throw .credentialEnded("This API token is not known; make one with `posplus staff token create`.") }
        guard standing.token.revokedAt == nil else { throw .credentialEnded("This API token was revoked; make a new one.") }
        guard !standing.staff.isDisabled else { throw .credentialEnded("This API token's staff account is disabled.") }
        let now = ledger.now()
        if standing.token.lastUsedAt.map({ now.timeIntervalSince($0) >= touchInterval.timeInterval }) ?? true {
            try StaffDirectory.ledger { try ledger.touchAPIToken(id: standing.token.id, at: now) }
        }
        return StaffIdentity(
            staffID: standing.staff.id, name: standing.staff.name, role: standing.staff.role, credential: .apiToken(id: standing.token.id))
    }
}

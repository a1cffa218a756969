import Foundation
import GRDB
import PosPlusCore

/// A failed login to count: under the name tried (lower case) and the address it came from.
public struct LoginFailure: Equatable, Sendable {
    /// The name as tried, if it is a valid staff name (an invalid one is counted under its
    /// lower-cased text but never written to the audit log).
    public var name: StaffName?
    public var nameKey: String
    public var clientAddress: String?
    /// Why, for the audit log only: "unknown name", "wrong password", "disabled", "locked".
    public var reason: String

    public init(name: StaffName?, nameKey: String, clientAddress: String?, reason: String) {
        self.name = name
        self.nameKey = nameKey
        self.clientAddress = clientAddress
        self.reason = reason
    }
}

/// The failures counted against a name and an address since some time.
public struct LoginFailureCounts: Equatable, Sendable {
    /// Times of the failures under the name, oldest first.
    public var byName: [Date]
    /// Times of the failures from the address, oldest first.
    public var byAddress: [Date]
}

/// Login failures live in the ledger, not in a process: `serve` and any other process that
/// checks logins count the same attempts, and a restart does not forgive them.
extension Ledger {
    /// Records a failed login with its `login.failed` audit event, and forgets failures older
    /// than `forgetBefore` (they no longer count against anyone).
    public func recordLoginFailure(_ failure: LoginFailure, forgetBefore: Date) throws {
        try write { db in
            let time = now()
            try db.execute(
                sql: "INSERT INTO loginFailure (nameKey, clientAddress, at) VALUES (?, ?, ?)",
                arguments: [failure.nameKey, failure.clientAddress, time])
            try db.execute(sql: "DELETE FROM loginFailure WHERE at < ?", arguments: [forgetBefore])
            try AuditChain.append(
                db, kind: "login.failed", paymentID: nil, actor: failure.name?.rawValue ?? "anonymous",
                detail: ["reason": .text(failure.reason), "address": AuditValue(failure.clientAddress)], at: time)
        }
    }

    /// The failures under `nameKey` and from `address` at or after `since`.
    public func loginFailures(nameKey: String, address: String?, since: Date) throws -> LoginFailureCounts {
        try read { db in
            let byName = try Date.fetchAll(
                db, sql: "SELECT at FROM loginFailure WHERE nameKey = ? AND at >= ? ORDER BY at", arguments: [nameKey, since])
            let byAddress =
                try address.map {
                    try Date.fetchAll(
                        db, sql: "SELECT at FROM loginFailure WHERE clientAddress = ? AND at >= ? ORDER BY at", arguments: [$0, since])
                } ?? []
            return LoginFailureCounts(byName: byName, byAddress: byAddress)
        }
    }
}

/// The failure rows, for the transactions of other files (a login clears its name's).
enum LoginFailureRows {
    static func clear(nameKey: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM loginFailure WHERE nameKey = ?", arguments: [nameKey])
    }
}

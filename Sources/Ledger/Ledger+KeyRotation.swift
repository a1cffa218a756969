import Foundation
import GRDB
import PosPlusCore

/// What `posplus ledger rotate-key` did.
public struct KeyRotation: Equatable, Sendable {
    /// The key file that now holds the new key.
    public var keyFile: String
    /// The audit head under the new key: the one to keep elsewhere from now on.
    public var head: AuditHead
    /// An earlier rotation had stopped between the ledger and the key file; this one finished it.
    public var finishedInterrupted: Bool
}

extension Ledger {
    /// Whether this ledger's secrets and audit chain were written with `key`.
    public func isWritten(with key: LedgerKey) throws -> Bool {
        try read { db in try String.fetchOne(db, sql: "SELECT keyCheck FROM ledgerKey WHERE id = 1") == key.check }
    }

    /// Re-seals every stored secret and re-computes every audit MAC under `newKey`, in one
    /// transaction, after checking the chain under the current key.
    ///
    /// Refuses a ledger whose chain does not verify: re-keying it would make a tampered log look
    /// intact. Refuses one written with another key: its secrets could not be re-sealed.
    public func reseal(with newKey: LedgerKey, actor: String) throws -> AuditHead {
        try write { db in
            let stored = try String.fetchOne(db, sql: "SELECT keyCheck FROM ledgerKey WHERE id = 1")
            guard stored == key.check else {
                throw LedgerError.invalidRequest(
                    "The ledger was written with another key than the one from \(key.source) (the ledger's key is missing or different); "
                        + "rotating needs the key it was written with")
            }
            let verification = try AuditChain.verify(db, mac: auditMAC, keyCheck: stored, presentedCheck: key.check)
            guard verification.isIntact else {
                throw LedgerError.invalidRequest("\(verification) Rotating the key now would hide that; the key was not changed")
            }
            for row in try Row.fetchAll(db, sql: "SELECT accountID, accessToken, refreshToken FROM jobberConnection") {
                let account: String = row["accountID"]
                for column in ["accessToken", "refreshToken"] {
                    let place = JobberTokenColumns.place(column, account: account)
                    let plaintext = try SealedSecret.open(row[column], at: place, key: key)
                    try db.execute(
                        sql: "UPDATE jobberConnection SET \(column) = ? WHERE accountID = ?",
                        arguments: [try SealedSecret.seal(plaintext, at: place, key: newKey), account])
                }
            }
            let newMAC = AuditMAC(key: newKey)
            let oldMAC = auditMAC
            let rekeyed = try KeyedUpgrade.rekey(db, from: { oldMAC.code(AuditChain.fields(of: $0)) }, to: newMAC)
            try db.execute(sql: "UPDATE ledgerKey SET keyCheck = ? WHERE id = 1", arguments: [newKey.check])
            let event = try AuditChain.$mac.withValue(newMAC) {
                try AuditChain.append(
                    db, kind: "ledger.keyRotated", paymentID: nil, actor: actor, detail: ["rekeyedEvents": .integer(rekeyed.events)],
                    at: now())
            }
            return AuditHead(seq: event.seq, mac: event.hash)
        }
    }

    /// Rotates the key in the key file this environment names: a new random key, the ledger
    /// re-sealed under it, then the file replaced.
    ///
    /// Crash-safe order: the new key is written beside the old one (`ledger.key.next`, 0600,
    /// synced) before the ledger commits, and renamed over the old one after. A rotation cut
    /// short leaves a ledger under the `.next` key; running this again sees that and finishes.
    /// Keys from `$POSPLUS_LEDGER_KEY` or systemd credentials are not posplus's to change.
    public static func rotateKey(
        ledgerAt path: String, environment: [String: String] = ProcessInfo.processInfo.environment, actor: String,
        clock: @escaping @Sendable () -> Date = Date.init
    ) throws -> KeyRotation {
        let current: LedgerKey
        do { current = try LedgerKey.resolve(environment: environment) } catch { throw LedgerError.keyUnavailable(error) }
        guard case .file(let keyFile) = current.source else {
            throw LedgerError.invalidRequest(
                "The ledger key comes from \(current.source), which posplus cannot change: put a new key there with your own tools, "
                    + "or unset it to use the key file \(LedgerKey.defaultFilePath(environment: environment))")
        }
        let pendingFile = keyFile + ".next"
        let ledger = try Ledger.open(at: path, key: current, clock: clock)
        do {
            if let pending = try LedgerKeyFile.load(pendingFile) {
                if try ledger.isWritten(with: pending) {
                    try LedgerKeyFile.install(pendingFile, as: keyFile)
                    return KeyRotation(keyFile: keyFile, head: try ledger.auditChainHead(), finishedInterrupted: true)
                }
                unlink(pendingFile)
            }
            let next = LedgerKey.generate()
            try LedgerKeyFile.replace(pendingFile, with: next)
            let head = try ledger.reseal(with: next, actor: actor)
            try LedgerKeyFile.install(pendingFile, as: keyFile)
            return KeyRotation(keyFile: keyFile, head: head, finishedInterrupted: false)
        } catch let error as LedgerKeyError {
            throw LedgerError.keyUnavailable(error)
        }
    }
}

import Foundation
import GRDB
import PosPlusCore

/// The durable record of every money movement, in one SQLite file.
///
/// Durability: WAL journal with `synchronous=FULL`, so a transaction that returned has reached
/// the disk and survives a power cut, not just a process crash. (`DatabasePool` sets its
/// writer to NORMAL while opening; ``open(at:key:clock:)`` re-applies FULL and a test asserts it.)
///
/// Several processes may share the file — the CLI while the service runs. Each write is one
/// IMMEDIATE transaction (GRDB's default for writes), so a read-check-write such as
/// "is there still room under the refund ceiling?" can never interleave with another
/// process's; a busy timeout makes the other writer wait instead of failing.
///
/// Every public method that changes state is one transaction that also appends to the
/// hash-chained audit log: the change and its audit event commit together or not at all.
public struct Ledger: Sendable {
    let pool: DatabasePool
    let clock: @Sendable () -> Date
    /// Seals the secrets stored here and keys the audit chain; kept outside the ledger.
    let key: LedgerKey
    /// The audit MAC under `key`, prepared once for every write transaction.
    let auditMAC: AuditMAC

    /// How long a writer waits for another process to finish its transaction.
    public static let busyTimeout: TimeInterval = 10

    /// Opens (creating if needed) the ledger at `path` and migrates it to the current schema.
    ///
    /// The folder is made private and every ledger file is 0600 (see ``LedgerFiles``). Any
    /// failure is ``LedgerError/cannotOpen(path:reason:)`` with a sentence naming what to do.
    /// - Parameters:
    ///   - key: the ledger's key (see ``LedgerKey``). Nil resolves it from this process's
    ///     environment, creating `~/.config/posplus/ledger.key` on first use — so a test passes
    ///     one, never nil, to keep out of the real home.
    ///   - clock: where timestamps come from; tests inject a fixed or stepping clock.
    public static func open(
        at path: String, key: LedgerKey? = nil, clock: @escaping @Sendable () -> Date = Date.init
    ) throws -> Ledger {
        let key = try key ?? resolveKey()
        try LedgerFiles.prepare(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "posplus.ledger"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try migrate(pool, key: key, clock: clock)
        } catch let error as DatabaseError {
            throw LedgerError.cannotOpen(path: path, reason: openFailure(error))
        }
        // SQLite gave -wal and -shm the database's 0600; narrowed again in case anything was wider.
        try LedgerFiles.narrowFiles(path)
        return Ledger(pool: pool, clock: clock, key: key, auditMAC: AuditMAC(key: key))
    }

    private static func resolveKey() throws(LedgerError) -> LedgerKey {
        do { return try LedgerKey.resolve() } catch { throw .keyUnavailable(error) }
    }

    /// Runs the migrations; when one sealed plaintext secrets, also wipes their old copies.
    ///
    /// `secure_delete` zeroes the cells the migration overwrites, and the truncating checkpoint
    /// empties the `-wal` that held the old pages, so an upgraded ledger's files no longer carry
    /// the tokens an older version stored in the clear.
    private static func migrate(_ pool: DatabasePool, key: LedgerKey, clock: @escaping @Sendable () -> Date) throws {
        let migrator = LedgerMigrations.migrator(key: key, clock: clock)
        let upgrading = try pool.read { db in try !migrator.hasCompletedMigrations(db) }
        guard upgrading else { return }
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
        try migrator.migrate(pool)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = OFF")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// SQLite's refusal to open, as something a person can act on.
    private static func openFailure(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return "it is not a posplus ledger (not an SQLite database); check ledger.path or --ledger"
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            return
                "SQLite cannot open it for writing (\(error.message ?? "\(error.resultCode)")); check the file's and its folder's owner and mode"
        default:
            return "the database reported \(error.message ?? "\(error.resultCode)")"
        }
    }

    /// `$XDG_DATA_HOME/posplus/ledger.sqlite`, or `~/.local/share/posplus/ledger.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return dataHome + "/posplus/ledger.sqlite"
    }

    /// The journal mode and `synchronous` level the writer connection really uses: the
    /// durability promise above, made checkable (`posplus config show`, tests).
    public func durabilitySettings() throws -> (journalMode: String, synchronous: Int) {
        try pool.writeWithoutTransaction { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            )
        }
    }

    /// The path of the database file.
    public var path: String { pool.path }

    /// How many times a write transaction is attempted when another process holds the lock
    /// past the busy timeout.
    static let busyAttempts = 5

    /// Runs `body` in one write transaction, mapping SQLite's errors to ``LedgerError`` so
    /// callers never see raw SQL messages.
    ///
    /// A process that commits in a tight loop can win SQLite's write lock again and again,
    /// starving a second writer past its busy timeout. A busy failure rolls the transaction
    /// back entirely, and every `body` here reads what it needs inside the transaction, so
    /// running it again is safe: the write is retried a few times before the error surfaces.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                // The audit MAC rides with the transaction: see AuditChain.mac.
                return try pool.write { db in try AuditChain.$mac.withValue(auditMAC) { try body(db) } }
            } catch let error as LedgerError {
                throw error
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < Self.busyAttempts {
                attempt += 1
            } catch let error as DatabaseError {
                throw LedgerError.storage(error.message ?? "\(error.resultCode)")
            }
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError {
            throw LedgerError.storage(error.message ?? "\(error.resultCode)")
        }
    }

    /// The ledger's clock: what it stamps on rows and audit events (a test injects its own).
    public func now() -> Date { clock() }
}

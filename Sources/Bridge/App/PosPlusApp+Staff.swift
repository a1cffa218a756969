import Ledger

/// Staff logins, built from the ledger and `staff.*`. Nothing here is cached past a call:
/// sessions and tokens are read from the ledger on every use, which several processes share.
extension PosPlusApp {
    /// The staff list and login checks.
    public func staffDirectory() throws -> StaffDirectory {
        StaffDirectory(ledger: try ledger(), settings: config.staff, hasher: passwordHasher)
    }

    /// Browser sessions for the console.
    public func staffSessions() throws -> StaffSessions { StaffSessions(directory: try staffDirectory(), settings: config.staff) }

    /// Bearer tokens for scripts.
    public func apiTokens() throws -> APITokens { APITokens(directory: try staffDirectory(), settings: config.staff) }
}

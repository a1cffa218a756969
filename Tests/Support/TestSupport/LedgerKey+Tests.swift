import Ledger

extension LedgerKey {
    /// The key every test ledger is opened with, and the one `CLIRunner` hands the `posplus`
    /// it runs (as `$POSPLUS_LEDGER_KEY`): fixed, so a test and a child process share ledgers,
    /// and never resolved from the environment, so no test creates a key in the real home.
    public static let forTests: LedgerKey = {
        do { return try LedgerKey(bytes: [UInt8](repeating: 0x5A, count: LedgerKey.byteCount)) } catch {
            fatalError("a 32-byte test key is always valid: \(error)")
        }
    }()
}

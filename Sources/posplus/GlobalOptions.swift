import ArgumentParser
import Bridge
import Ledger

/// Options every command that touches configuration or the ledger accepts.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "Configuration file to read instead of the default.",
            discussion: "Default: $POSPLUS_CONFIG, else $XDG_CONFIG_HOME/posplus/config.toml.",
            valueName: "path"))
    var configPath: String?

    @Option(
        name: .customLong("ledger"),
        help: ArgumentHelp("Ledger database to use, overriding the configuration.", valueName: "path"))
    var ledgerPath: String?

    /// The configuration after file, environment and command-line overrides.
    func loadConfig() throws -> LoadedConfig {
        var loaded = try ConfigLoader().load(explicitPath: configPath)
        if let ledgerPath {
            loaded.config.ledgerPath = ledgerPath
            if let index = loaded.sources.firstIndex(where: { $0.key == "ledger.path" }) {
                loaded.sources[index] = ("ledger.path", ledgerPath, .environment("--ledger"))
            }
        }
        return loaded
    }

    /// Opens the configured ledger, creating it on first use, with the ledger key this
    /// environment names (see `LedgerKey`; the key file is created on first use too).
    func openLedger() throws -> Ledger {
        let path = try loadConfig().config.ledgerPath
        let key: LedgerKey
        do { key = try LedgerKey.resolve() } catch { throw LedgerError.keyUnavailable(error) }
        return try Ledger.open(at: path, key: key)
    }
}

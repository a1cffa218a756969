import ArgumentParser
import Bridge
import Logging

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

    /// The composition root for this run: the configuration (file, environment, then these
    /// options) loaded once; the ledger and everything else built from it when first asked for.
    /// `configuredLogLevel`: log at `logging.level` (serve) rather than warnings only.
    func app(label: String = "posplus", configuredLogLevel: Bool = false) throws -> PosPlusApp {
        try PosPlusApp.load(
            configPath: configPath, ledgerPath: ledgerPath, families: { TerminalTarget.families(currency: $0, logger: $1) },
            logger: Logger(label: label), configuredLogLevel: configuredLogLevel, stepObserver: CrashPoint.fromEnvironment())
    }
}

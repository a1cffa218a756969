import ArgumentParser
import Ledger

/// `posplus ledger …`: the ledger's own upkeep.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Look after the ledger itself.",
        subcommands: [RotateKey.self])

    struct RotateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Replace the ledger key: re-seal the stored Jobber tokens and re-key the audit log under a new one.",
            discussion: """
                The key lives outside the ledger, in $XDG_CONFIG_HOME/posplus/ledger.key (or from \
                $POSPLUS_LEDGER_KEY or systemd's $CREDENTIALS_DIRECTORY/posplus-ledger-key). This \
                checks the audit log under the old key first and refuses if it is broken. Only the \
                key file can be rotated here. Stop `posplus serve` first: it holds the old key.
                Keep the new audit head it prints in place of the old one.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var `operator`: OperatorOption

        func run() throws {
            let path = try global.app().config.ledgerPath
            let rotation = try Ledger.rotateKey(ledgerAt: path, actor: `operator`.name)
            if rotation.finishedInterrupted {
                print("Finished an earlier rotation that had stopped: \(rotation.keyFile) now holds the ledger's key.")
            } else {
                print("Rotated the ledger key: \(rotation.keyFile) holds the new key; tokens re-sealed, audit log re-keyed.")
            }
            print("Audit head: \(rotation.head) (keep it somewhere the ledger is not; check with `posplus audit verify --head`).")
        }
    }
}

import ArgumentParser
import Bridge
import Ledger

/// `posplus config …`: what posplus will use, and where each value came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the configuration.",
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting, its value and its source (default, file or environment).",
            discussion: """
                The file is TOML with one table per section, for example:

                  [business]
                  name = "Acme Plumbing"
                  currency = "USD"

                  [charges]
                  maximum = "5000.00"

                Each setting can be overridden by an environment variable named after it, \
                such as POSPLUS_CHARGES_MAXIMUM or POSPLUS_LEDGER_PATH.
                """)

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let loaded = try global.app().loaded
            print("file: \(loaded.file ?? "(none; defaults and environment only)")")
            let width = loaded.sources.map(\.key.count).max() ?? 0
            for (key, value, source) in loaded.sources {
                print("\(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)  [\(source)]")
            }
        }
    }
}

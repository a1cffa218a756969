import ArgumentParser
import Bridge
import DeviceCatalog
import Foundation
import Logging
import PosPlusCore
import Terminal

/// `posplus terminals …`: the counter terminals.
struct Terminals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find, check and try the counter terminals.",
        discussion: """
            Terminals are configured by name, for example:

              [terminals.front-desk]
              driver = "pax"
              connection = "usb"          # or serial (path = ...), tcp / http (host = ...)
              usb = "1a86:7523"

            A USB terminal is found by its ids each time, so re-plugging it (even into another
            port) needs no change.
            """,
        subcommands: [List.self, Scan.self, Ping.self, Status.self, CloseBatch.self, Demo.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the terminals in the configuration.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let terminals = try global.app().config.terminals
            guard !terminals.isEmpty else {
                print(
                    "No terminals configured. Add a [terminals.NAME] table (see `posplus terminals --help`), or try `posplus terminals scan`."
                )
                return
            }
            print(Formatting.table([["NAME", "DRIVER", "CONNECTION"]] + terminals.map { [$0.name, $0.driver, $0.connectionText] }))
        }
    }

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look for known terminals on USB.",
            discussion: "Lists USB devices whose ids are in the terminal catalog, with the serial port the kernel made for each.")

        func run() throws {
            let found = try TerminalDiscovery().scan()
            guard !found.isEmpty else {
                print("No known terminal on USB. (LAN terminals are not scanned: configure them with connection = \"tcp\".)")
                return
            }
            var rows = [["USB ID", "WHERE", "SERIAL NO.", "PORT", "TERMINAL"]]
            for terminal in found {
                rows.append([
                    terminal.device.ids,
                    "bus \(terminal.device.bus) port \(terminal.device.portPath.map(String.init).joined(separator: "."))",
                    terminal.device.serialNumber ?? "-", terminal.ttyPath ?? "(no serial port)", terminal.known.name,
                ])
            }
            print(Formatting.table(rows))
        }
    }

    struct Ping: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask one terminal who it is (changes nothing, charges nothing).",
            discussion: """
                Examples:
                  posplus terminals ping front-desk
                  posplus terminals ping --serial /dev/ttyUSB0
                  posplus terminals ping --tcp 192.168.1.50:10009
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: TerminalTarget

        func validate() throws { try target.requireOne() }

        func run() async throws {
            let config = target.name == nil ? PosPlusConfig(ledgerPath: "") : try global.app().config
            let (driver, place) = try target.driver(config: config, logger: Logger(label: "posplus.terminals"))
            let start = ContinuousClock.now
            let status = try await driver.status()
            let millis = (ContinuousClock.now - start).wholeMilliseconds
            print(
                "\(place): ready — serial \(status.serialNumber)" + (status.model.map { ", model \($0)" } ?? "")
                    + (status.softwareVersion.map { ", software \($0)" } ?? "") + " (answered in \(millis) ms)")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every configured terminal.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let app = try global.app()
            let config = app.config
            guard !config.terminals.isEmpty else {
                print("No terminals configured.")
                return
            }
            let directory = app.terminals
            var rows = [["NAME", "CONNECTION", "STATE", "DETAIL"]]
            var unreachable = 0
            for settings in config.terminals {
                let supervisor = try directory.supervisor(named: settings.name, clock: ContinuousClock(), logger: Logger(label: "posplus"))
                switch await supervisor.checkHealth() {
                case .ready(let status):
                    rows.append([
                        settings.name, settings.connectionText, "ready",
                        "serial \(status.serialNumber)" + (status.model.map { ", \($0)" } ?? ""),
                    ])
                case .unreachable(let reason):
                    unreachable += 1
                    rows.append([settings.name, settings.connectionText, "UNREACHABLE", reason])
                case .unknown:
                    rows.append([settings.name, settings.connectionText, "unknown", "-"])
                }
            }
            print(Formatting.table(rows))
            if unreachable > 0 { throw ExitCode(1) }
        }
    }
}

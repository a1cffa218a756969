import Foundation
import Ledger
import PAXSimulator
import TestSupport
import Testing

/// What a CLI test of a held or declined counter payment runs the real binary against: a
/// scratch HOME whose ledger is connected to the Jobber simulator, a PAX simulator on loopback
/// TCP configured as the terminal `front-desk`, and a config file with the test's own settings.
/// The declines, risk-hold and approvals CLI tests share it, so each reads as what it checks.
struct CLIWorld: Sendable {
    let cli: CLIRunner
    let ledger: Ledger
    let jobber: ConnectedJobber
    let terminal: PAXSimulator
    /// The config file every `posplus(_:)` call passes with `--config`.
    let config: String
    let environment: [String: String]

    /// Runs `body` in a new world and stops both simulators however it ends.
    /// - Parameters:
    ///   - settings: TOML that comes before the terminal's table, e.g. `[risk]\nmode = "suggest"`.
    ///   - environment: more variables for the binary; the ledger path, the Jobber simulator's
    ///     and a cheap bcrypt cost (for `staff add`) are always set.
    static func run<T>(
        settings: String, environment: [String: String] = [:], _ body: (CLIWorld) async throws -> T
    ) async throws -> T {
        let cli = try CLIRunner()
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let jobber = try await ConnectedJobber.start(connecting: ledger)
        let terminal = PAXSimulator()
        let world: CLIWorld
        do {
            let config = cli.home.appendingPathComponent("posplus.toml").path
            try """
            \(settings)

            [terminals.front-desk]
            driver = "pax"
            connection = "tcp"
            host = "127.0.0.1"
            port = \(try terminal.startTCP())
            """.write(toFile: config, atomically: true, encoding: .utf8)
            let variables = ["POSPLUS_LEDGER_PATH": cli.ledgerPath, "POSPLUS_STAFF_BCRYPT_COST": "4"]
                .merging(jobber.environment) { $1 }.merging(environment) { $1 }
            world = CLIWorld(cli: cli, ledger: ledger, jobber: jobber, terminal: terminal, config: config, environment: variables)
        } catch {
            terminal.stop()
            await jobber.stop()
            throw error
        }
        do {
            let result = try await body(world)
            await world.stop()
            return result
        } catch {
            await world.stop()
            throw error
        }
    }

    /// The built binary with these arguments and `--config`, on a thread of its own.
    /// - Parameter input: written to its standard input (nil: none).
    func posplus(_ arguments: [String], input: String? = nil) async throws -> CLIRunner.Result {
        let (cli, config, environment) = (cli, config, environment)
        return try await onOwnThread { try cli.run(arguments + ["--config", config], environment: environment, input: input) }
    }

    /// `posplus staff add NAME --role ROLE`, password "correct horse"; expects it to succeed.
    func addStaff(_ name: String, role: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let added = try await posplus(["staff", "add", name, "--role", role, "--password-stdin"], input: "correct horse\n")
        #expect(added.status == 0, "\(added.stderr)", sourceLocation: sourceLocation)
    }

    private func stop() async {
        terminal.stop()
        await jobber.stop()
    }
}

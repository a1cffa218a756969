import ArgumentParser
import Bridge
import Foundation
import Jobber
import Ledger
import PosPlusCore

/// `posplus jobber …`: the connection to the business's Jobber account.
struct JobberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobber",
        abstract: "Connect posplus to Jobber, and check or end the connection.",
        discussion: """
            posplus signs in the way Jobber apps are meant to: you approve it in Jobber's own page \
            (two-factor stays on), and posplus keeps only the tokens Jobber gives it, in the ledger \
            database (mode 0600), never printed. Set jobber.client_id in the configuration and \
            POSPLUS_JOBBER_CLIENT_SECRET in the environment first.
            """,
        subcommands: [Connect.self, Status.self, Disconnect.self])

    struct Connect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open Jobber's sign-in page and store the tokens it grants.")
        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("timeout-s"), help: "How long to wait for the sign-in, in seconds.")
        var timeoutSeconds = 300

        func run() async throws {
            let flow = try global.app(label: "posplus.jobber").jobberConnectFlow()
            let name = try await flow.run(timeout: .seconds(timeoutSeconds)) { url in
                print("Open this page, sign in to Jobber and approve posplus:\n\n  \(url)\n\nWaiting for Jobber to send you back…")
                fflush(nil)
            }
            print("Connected to \(name).")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the connected Jobber account and check that it answers.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let app = try global.app(label: "posplus.jobber")
            let ledger = try app.ledger()
            // Notes for payments wait in the outbox while no account is connected; say how many.
            let queued = try ledger.jobs(states: [.pending, .running]).filter { $0.kind == JobberWriteBackJob.kind }.count
            let writeBacks = queued == 1 ? "1 write-back" : "\(queued) write-backs"
            guard let connection = try ledger.jobberConnection() else {
                print("Not connected to Jobber. Run `posplus jobber connect`.")
                if queued > 0 { print("\(writeBacks) waiting for reconnect.") }
                throw ExitCode(1)
            }
            if let gone = connection.disconnectedAt {
                print("Disconnected from \(connection.accountName ?? connection.accountID) on \(Formatting.timestamp(gone)).")
                if queued > 0 { print("\(writeBacks) waiting for reconnect; run `posplus jobber connect`.") }
                throw ExitCode(1)
            }
            print("Account: \(connection.accountName ?? "?") (\(connection.accountID))")
            print("Access token expires: \(Formatting.timestamp(connection.accessExpiresAt))")
            if queued > 0 { print("\(writeBacks) queued for Jobber.") }
            let account = try await app.jobber().graphQL.execute("query Account { account { id name } }")["account"]
            print("Jobber answers as \(account?["name"]?.string ?? "?"); API version \(app.config.jobber.apiVersion).")
        }
    }

    struct Disconnect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget the Jobber tokens (disconnect the app in Jobber too).")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let ledger = try global.app().ledger()
            guard var connection = try ledger.jobberConnection(), connection.disconnectedAt == nil else {
                print("Not connected to Jobber.")
                return
            }
            connection.accessToken = Secret("")
            connection.refreshToken = Secret("")
            connection.disconnectedAt = Date()
            try ledger.saveJobberConnection(connection, actor: "cli")
            print("Forgot the tokens for \(connection.accountName ?? connection.accountID). Remove posplus under Apps in Jobber as well.")
        }
    }
}

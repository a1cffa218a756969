import ArgumentParser
import Foundation
import Hummingbird
import JobberSimulator
import Logging

/// `posplus-sim jobber`: Jobber's API subset with a seeded account, until stopped.
struct JobberSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobber",
        abstract: "Run a simulated Jobber API (GraphQL, OAuth, webhooks) on 127.0.0.1 until stopped.",
        discussion: """
            Prints "jobber http://127.0.0.1:PORT" and the OAuth client id, then "ready". Point posplus at it with
            POSPLUS_JOBBER_ENDPOINT=<url>/api/graphql, POSPLUS_JOBBER_TOKEN_URL=<url>/api/oauth/token,
            POSPLUS_JOBBER_AUTHORIZE_URL=<url>/api/oauth/authorize and the client id and secret below.
            Signing in approves at once. Seeded: invoices #1041–#1046 (one in every status, client Ada
            Lovelace), #1050 ($999,999.99) and #1051 ($0.10) for Grace Hopper, #1060 for Bletchley
            Bakery, quotes #77–#79. Change data with POST /_admin/… (see the simulator's documentation).
            """)

    @Option(help: "Port to listen on (0 picks one).")
    var port = 0

    @Option(name: .customLong("client-id"), help: "The OAuth client id posplus must present.")
    var clientID = JobberSimulator.Options().clientID

    @Option(name: .customLong("client-secret"), help: "The OAuth client secret; it also signs webhooks.")
    var clientSecret = JobberSimulator.Options().clientSecret

    @Option(name: .customLong("webhook-url"), help: "Where to send webhooks when data changes.")
    var webhookURL: String?

    @Option(name: .customLong("token-lifetime-s"), help: "Access-token lifetime in seconds (Jobber: 3600).")
    var tokenLifetime = 3600

    @Flag(help: "Offer invoiceCreatePaymentRecord, which Jobber's public schema lacks.")
    var offersPaymentRecords = false

    @Flag(help: "Spell the webhook time occuredAt, as Jobber does for apps made before 2023-12-08.")
    var legacyOccuredAt = false

    @Flag(help: "Add Katherine Johnson: four invoices paid on time and #1070 ($1,800.00) open (for payment plans).")
    var withPaymentHistory = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
        guard tokenLifetime > 0 else { throw ValidationError("--token-lifetime-s must be positive.") }
    }

    func run() async throws {
        var options = JobberSimulator.Options()
        options.clientID = clientID
        options.clientSecret = clientSecret
        options.webhookURL = webhookURL
        options.accessTokenLifetime = TimeInterval(tokenLifetime)
        options.offersPaymentRecords = offersPaymentRecords
        options.legacyWebhookSpelling = legacyOccuredAt
        if withPaymentHistory { options.seed = Seed.withPaymentHistory() }
        var logger = Logger(label: "posplus-sim.jobber")
        logger.logLevel = .warning
        let simulator = try JobberSimulator(options: options, logger: logger)
        let clientID = self.clientID
        let app = Application(
            router: simulator.router(), configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                print("jobber http://127.0.0.1:\(channel.localAddress?.port ?? 0)")
                print("client_id \(clientID)")
                print("ready")
                fflush(nil)
            }, logger: logger)
        try await app.runService()
    }
}

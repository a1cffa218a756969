import ArgumentParser
import Foundation
import GatewaySimulator
import Hummingbird
import Logging

/// `posplus-sim stripe`: the Stripe subset posplus needs beyond localstripe, until stopped.
struct StripeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stripe",
        abstract: "Run a simulated Stripe API (payment links, ACH, replay, webhooks) on 127.0.0.1 until stopped.",
        discussion: """
            Prints "stripe http://127.0.0.1:PORT", then "ready". Any secret key starting with sk_test_ is accepted.
            Test controls: POST /_sim/payment_links/{id}/pay (card=4242… or bank_account=000123456789),
            POST /_sim/payment_intents/{id}/settle (outcome=succeeded|failed|returned),
            POST /_sim/payment_intents/{id}/dispute (reason=…, amount=…), POST /_sim/disputes/{id}/close (status=won|lost),
            POST /_sim/payouts, POST /_sim/webhooks (url=…),
            POST /_sim/faults (delay_next_reply_ms=…, fail_next_with=500), DELETE /_sim/data.
            """)

    @Option(help: "Port to listen on (0 picks one).")
    var port = 0

    @Option(name: .customLong("webhook-url"), help: "Where to send signed events.")
    var webhookURL: String?

    @Option(name: .customLong("webhook-secret"), help: "The endpoint secret events are signed with.")
    var webhookSecret = StripeSimulator.Options().webhookSecret

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
    }

    func run() async throws {
        var options = StripeSimulator.Options()
        options.webhookURL = webhookURL
        options.webhookSecret = webhookSecret
        var logger = Logger(label: "posplus-sim.stripe")
        logger.logLevel = .warning
        let simulator = StripeSimulator(options: options, logger: logger)
        let app = Application(
            router: simulator.router(), configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                let url = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)"
                simulator.serving(at: url)
                print("stripe \(url)")
                print("ready")
                fflush(nil)
            }, logger: logger)
        try await app.runService()
    }
}

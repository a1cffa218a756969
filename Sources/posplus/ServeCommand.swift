import ArgumentParser
import Foundation
import Server

/// `posplus serve`: the long-running service — webhook endpoints, the staff API and the
/// background work (webhook processing, outbox, recovery) as services in one group (``PosPlusServe``).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the posplus service: receive Jobber's and Stripe's webhooks and act on them.",
        discussion: """
            Listens on 127.0.0.1 unless told otherwise. Any other address needs TLS (server.tls_certificate and \
            server.tls_key: serve speaks HTTPS), or --insecure-listen when a TLS reverse proxy in front of it \
            protects the traffic. POST /webhooks/jobber verifies X-Jobber-Hmac-SHA256 with jobber.client_secret, stores the \
            event and answers at once; events are processed right after. POST /webhooks/stripe does the same with \
            Stripe-Signature and stripe.webhook_secret (paid links, bank debits settling or coming back). \
            GET /health answers {"status":"ok"}. Staff log in with POST /api/session (see `posplus staff`), or \
            send an API token; the staff API (invoices, charges, voids, refunds, cards, links, payments, \
            terminals, the reconcile report) is described at GET /api/openapi.json. Every 5 seconds it also runs the outbox: payment-link emails and texts \
            that could not be sent at once are retried with back-off, and each payment's note is pinned on its \
            Jobber invoice (once, even across restarts). At start and every minute it asks the configured \
            terminals about payments whose answer was lost (as `posplus recover`). \
            Stops cleanly on SIGINT or SIGTERM; events stored but not yet processed are processed on the \
            next start.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks one; it is printed).")
    var port = 8420

    @Flag(help: "Mark the staff session cookie Secure: set it when people reach posplus over HTTPS (a TLS proxy).")
    var secureCookies = false

    @Flag(help: "Listen beyond loopback without TLS: only behind a TLS reverse proxy that protects the traffic.")
    var insecureListen = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
    }

    func run() async throws {
        let app = try global.app(label: "posplus.serve", configuredLogLevel: true)
        let scheme = app.config.server.tlsCertificatePath == nil ? "http" : "https"
        try await PosPlusServe.run(
            app: app, host: host, port: port, secureCookies: secureCookies, insecureListen: insecureListen
        ) {
            [host] port in
            print("posplus serving on \(scheme)://\(host):\(port)")
            fflush(nil)
        }
    }
}

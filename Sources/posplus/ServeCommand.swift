import ArgumentParser
import Bridge
import Foundation
import Gateway
import Hummingbird
import Jobber
import Logging
import Server

/// `posplus serve`: the long-running service — webhook endpoints today.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the posplus service: receive Jobber's and Stripe's webhooks and act on them.",
        discussion: """
            Listens on 127.0.0.1 unless told otherwise (put a TLS proxy in front of it for Jobber to reach \
            it). POST /webhooks/jobber verifies X-Jobber-Hmac-SHA256 with jobber.client_secret, stores the \
            event and answers at once; events are processed right after. POST /webhooks/stripe does the same with \
            Stripe-Signature and stripe.webhook_secret (paid links, bank debits settling or coming back). \
            GET /health answers {"status":"ok"}. Every 5 seconds it also runs the outbox: payment-link emails and texts \
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

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
    }

    func run() async throws {
        let config = try global.loadConfig().config
        let ledger = try global.openLedger()
        let logger = Logger(label: "posplus.serve")
        // One counter for every refusal, so a burst of forged webhooks is a few lines a minute.
        let refusals = RefusalLog(logger: logger)
        let inbox = config.jobber.clientSecret.map {
            JobberWebhookInbox(ledger: ledger, verifier: JobberWebhookVerifier(clientSecret: $0), logger: logger, refusals: refusals)
        }
        if inbox == nil { logger.warning("jobber.client_secret is not set: Jobber webhooks will be refused with 503") }
        let stripeInbox = config.stripe.webhookSecret.map {
            StripeWebhookInbox(ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: $0), logger: logger, refusals: refusals)
        }
        let inboxes: [any WebhookInbox] = [inbox as (any WebhookInbox)?, stripeInbox].compactMap { $0 }
        let processing = inboxes.isEmpty ? nil : WebhookProcessing(inboxes: inboxes, logger: logger)
        var limits = ServerLimits()
        limits.idleTimeout = config.server.idleTimeout
        limits.bodyTimeout = config.server.bodyTimeout
        limits.maximumConnections = config.server.maximumConnections
        let server = PosPlusServer(
            jobberInbox: inbox, stripeInbox: stripeInbox, processing: processing, logger: logger, refusals: refusals, limits: limits)
        let loop = Task { await processing?.run() }
        // The outbox: link emails and texts that could not go out at once, and Jobber write-backs.
        var handlers = LinkDelivery.handlers(
            ledger: ledger, mailer: try CardNotPresentWiring.mailer(config.smtp),
            sms: try CardNotPresentWiring.smsSender(config.sms, logger: logger), businessName: config.businessName,
            templates: config.messages)
        if config.jobber.clientID != nil, config.jobber.clientSecret != nil {
            let jobber = try JobberSession(settings: config.jobber, currency: config.currency, ledger: ledger, logger: logger)
            handlers[JobberWriteBackJob.kind] = JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: jobber.graphQL))
            if let gateway = try? CardNotPresentWiring.stripeGateway(config.stripe, logger: logger) {
                handlers[SettledInvoiceLinks.kind] = SettledInvoiceLinks.handler(
                    ledger: ledger, invoices: jobber.invoices, gateway: gateway)
            }
        } else {
            logger.warning("Jobber is not configured: payment notes wait in the outbox until it is")
        }
        let worker = OutboxWorker(ledger: ledger, handlers: handlers, logger: logger)
        let recovery = RecoverCommand.recovery(ledger: ledger, config: config, logger: logger)
        let channels = try RecoverCommand.channels(config: config, logger: logger)
        let outbox = Task {
            var pass = 0
            while !Task.isCancelled {
                // Payments in doubt are looked up at start and every minute (every 12th pass).
                if pass % 12 == 0 { await Self.recover(recovery, channels: channels, logger: logger) }
                pass += 1
                refusals.flush()  // the count of a burst that has stopped
                do { _ = try await worker.runDueJobs() } catch { logger.error("outbox pass failed", metadata: ["error": "\(error)"]) }
                try? await Task.sleep(for: .seconds(5))
            }
        }
        let app = server.application(
            host: host, port: port,
            onServerRunning: { [host] channel in
                print("posplus serving on http://\(host):\(channel.localAddress?.port ?? 0)")
                fflush(nil)
            })
        try await app.runService()
        outbox.cancel()
        processing?.finish()
        await loop.value
        await outbox.value
    }

    static func recover(_ recovery: Recovery, channels: [any PaymentChannel], logger: Logger) async {
        do {
            for resolution in try await recovery.resolveInDoubt(channels: channels) + recovery.abandonStaleIntents(on: channels) {
                logger.notice(
                    "recovery", metadata: ["payment": "\(resolution.paymentID)", "state": "\(resolution.state?.rawValue ?? "in doubt")"])
            }
        } catch {
            logger.error("recovery pass failed", metadata: ["error": "\(error)"])
        }
    }
}

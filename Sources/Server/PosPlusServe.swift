import Bridge
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `posplus serve` as one `ServiceGroup`: the HTTP application, webhook processing, the outbox
/// and recovery, each a `Service`, stopped together and gracefully on SIGTERM or SIGINT (a pass
/// under way finishes; stored events not yet processed are processed on the next start).
public enum PosPlusServe {
    /// How often the outbox runs its due jobs (link messages, Jobber notes).
    public static let outboxInterval: Duration = .seconds(5)
    /// How often payments in doubt are looked up on their terminals and processors.
    public static let recoveryInterval: Duration = .seconds(60)

    /// The background services built from `app`, ticking on `clock`, and the HTTP server that
    /// receives webhooks; `onServerRunning` hears the port once it listens.
    /// `now` is the wall time scheduled work (reconcile) is planned by. `secureCookies` marks
    /// the staff session cookie `Secure`, for a service reached over TLS.
    public static func services<C: Clock<Duration>>(
        app: PosPlusApp, host: String, port: Int, clock: C, now: @escaping @Sendable () -> Date = { Date() }, secureCookies: Bool = false,
        insecureListen: Bool = false, onServerRunning: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws -> [any Service] {
        let tls = try ServeTLS.configuration(certificate: app.config.server.tlsCertificatePath, key: app.config.server.tlsKeyPath)
        try ListenPolicy.check(host: host, tls: tls != nil, insecureListen: insecureListen)
        let logger = app.logger
        // One counter for every refusal, so a burst of forged webhooks is a few lines a minute.
        let refusals = RefusalLog(logger: logger)
        let inboxes = try app.webhookInboxes(refusals: refusals)
        if inboxes.jobber == nil { logger.warning("jobber.client_secret is not set: Jobber webhooks will be refused with 503") }
        let processing = inboxes.all.isEmpty ? nil : WebhookProcessing(inboxes: inboxes.all, logger: logger, clock: clock)
        var limits = ServerLimits()
        limits.idleTimeout = app.config.server.idleTimeout
        limits.bodyTimeout = app.config.server.bodyTimeout
        limits.maximumConnections = app.config.server.maximumConnections
        // Over HTTPS the session cookie is Secure whatever the flag says.
        let staff = StaffAccess(
            sessions: try app.staffSessions(), tokens: try app.apiTokens(), secureCookies: secureCookies || tls != nil)
        let server = PosPlusServer(
            jobberInbox: inboxes.jobber, stripeInbox: inboxes.stripe, processing: processing, logger: logger, refusals: refusals,
            limits: limits, staff: staff, app: app)
        if !app.isJobberConfigured { logger.warning("Jobber is not configured: payment notes wait in the outbox until it is") }
        let worker = try app.outboxWorker()
        let outbox = PeriodicService("outbox", every: outboxInterval, clock: clock) {
            refusals.flush()  // the count of a burst that has stopped
            do { try await worker.drain() } catch { logger.error("outbox pass failed", metadata: ["error": "\(error)"]) }
        }
        let (recovery, channels) = (try app.recovery(), try app.recoveryChannels())
        let recovering = PeriodicService("recovery", every: recoveryInterval, clock: clock) {
            await recover(recovery, channels: channels, logger: logger)
        }
        let reconciling = try scheduledReconcile(app: app, clock: clock, now: now)
        let http = try server.application(host: host, port: port, tls: tls) { channel in onServerRunning(channel.localAddress?.port ?? 0) }
        // Shut down last to first: the HTTP server stops taking webhooks before their processing stops.
        return [processing as (any Service)?, outbox, recovering, reconciling, http].compactMap { $0 }
    }

    /// Reconcile on the configured schedule (`reconcile.every` from `reconcile.at`), applying
    /// the safe actions only when `reconcile.auto_apply` says so; each run's report is kept in
    /// the ledger (`posplus reconcile last`).
    static func scheduledReconcile<C: Clock<Duration>>(app: PosPlusApp, clock: C, now: @escaping @Sendable () -> Date) throws
        -> ScheduledService<C>
    {
        let settings = app.config.reconcile
        let schedule = ReconcileSchedule(settings)
        let service = try app.reconcileService()
        let logger = app.logger
        return ScheduledService("reconcile", clock: clock, now: now, next: schedule.next(after:)) {
            do {
                let report = try await service.run(since: nil, until: now(), apply: settings.autoApply, actor: "serve")
                logger.notice(
                    "reconcile",
                    metadata: [
                        "items": "\(report.items.count)", "toReview": "\(report.toReview.count)", "applied": "\(report.applied.count)",
                        "notes": "\(report.notes.count)",
                    ])
            } catch {
                logger.error("reconcile run failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Runs ``services(app:host:port:clock:onServerRunning:)`` until SIGTERM or SIGINT.
    public static func run(
        app: PosPlusApp, host: String, port: Int, secureCookies: Bool = false, insecureListen: Bool = false,
        onServerRunning: @escaping @Sendable (Int) -> Void
    ) async throws {
        let services = try services(
            app: app, host: host, port: port, clock: ContinuousClock(), secureCookies: secureCookies, insecureListen: insecureListen,
            onServerRunning: onServerRunning)
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger))
        try await group.run()
    }

    /// One recovery pass: payments in doubt looked up, intents never sent abandoned when stale.
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

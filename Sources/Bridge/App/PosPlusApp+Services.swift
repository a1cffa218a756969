import Foundation
import Gateway
import Jobber
import Ledger
import Logging
import PosPlusCore

/// The services, built from the parts ``PosPlusApp`` keeps.
extension PosPlusApp {
    /// The one payment path. Jobber is asked for only when a charge or deposit needs its check:
    /// a void, a refund, a card save and a lookup work where Jobber is not configured.
    public func paymentService() throws -> PaymentService<ContinuousClock> {
        var service = PaymentService(
            ledger: try ledger(), currency: config.currency, logger: logger, notFoundAfter: config.recovery.notFoundAfter
        ) { () throws(ChargeCheckError) in try self.chargeCheck() }
        service.stepObserver = stepObserver
        service.approvalThresholds = config.approvals
        service.risk = config.risk
        service.clientHistory = jobberClientHistory
        service.receiptMode = config.receipts.mode
        service.declineMode = config.declines.mode
        let progress = paymentProgress
        service.progress = { progress.publish($0) }
        return service
    }

    /// Clients' payment histories from Jobber, read as payment plans read them, for risk's
    /// new-client signal; nil when Jobber is not set up here.
    var jobberClientHistory: ClientHistorySource? {
        guard isJobberConfigured else { return nil }
        return JobberPlanStanding.historySource(
            { try self.jobber().invoices }, disputed: { try self.ledger().openDisputeInvoiceIDs() }, now: clock,
            timeZone: config.reconcile.timeZone)
    }

    /// Where managers decide held requests; an approved one runs on the channel it was asked on.
    public func approvalDesk() throws -> ApprovalDesk<ContinuousClock> {
        var desk = ApprovalDesk(ledger: try ledger(), service: try paymentService(), links: { try self.paymentLinkService() }) { name in
            try self.channel(named: name)
        }
        desk.declines = { try self.declineRecoveries() }
        desk.plans = { try self.planService() }
        desk.reminders = { try self.invoiceReminders() }
        return desk
    }

    /// Reminders of unpaid invoices under `[reminders]`, with a payment link each.
    public func invoiceReminders() throws -> InvoiceReminders<ContinuousClock> {
        InvoiceReminders(
            ledger: try ledger(), mode: config.reminders.mode, rules: config.reminderRules, links: { try self.paymentLinkService() },
            invoices: { try self.jobber().invoices }, logger: logger)
    }

    /// What a card dispute stops: the invoice's recovery, reminders and plan, and their links.
    public func disputeFollowUp() throws -> DisputeFollowUp<ContinuousClock> {
        DisputeFollowUp(
            ledger: try ledger(), recoveries: { try self.declineRecoveries() }, reminders: { try self.invoiceReminders() },
            plans: { try self.planService() }, logger: logger)
    }

    /// Failed-payment recovery under `[declines]`: retries through the one payment path, links
    /// through the link service, the invoice read in Jobber before every step.
    public func declineRecoveries() throws -> DeclineRecoveries<ContinuousClock> {
        DeclineRecoveries(
            ledger: try ledger(), mode: config.declines.mode, rules: config.declineRules, payments: try paymentService(),
            links: { try self.paymentLinkService() }, invoices: { try self.jobber().invoices },
            channelForCard: { try self.channel(forSavedCard: $0) }, logger: logger)
    }

    /// A configured terminal or a processor, by the name a payment or request recorded.
    public func channel(named name: String) throws -> any PaymentChannel {
        if let gateway = gatewayChannels()[name] { return gateway }
        guard config.terminal(named: name) != nil else {
            throw PosPlusAppError.noChannel(
                "\(name) is not a configured terminal or processor; add it to the config (a terminal named only by address "
                    + "on the command line cannot be reached again by name).")
        }
        return try terminalChannel(named: name)
    }

    /// Recovery with the configured "not found" wait, reaching a terminal that was named by
    /// address through the endpoint its attempt recorded.
    public func recovery() throws -> Recovery {
        let directory = terminals
        var recovery = Recovery(ledger: try ledger(), logger: logger, notFoundAfter: config.recovery.notFoundAfter) { name, endpoint in
            try directory.channel(named: name, recordedAt: endpoint)
        }
        recovery.receiptMode = config.receipts.mode
        recovery.declineMode = config.declines.mode
        return recovery
    }

    /// Where Recovery looks payments up: every configured terminal (through its supervisor)
    /// and the processor's own channel (a link's payments are finished by its webhook).
    public func recoveryChannels() throws -> [any PaymentChannel] {
        let terminals: [any PaymentChannel] = try config.terminals.map { try terminalChannel(named: $0.name) }
        return terminals + gatewayChannels().values.filter { !$0.name.hasPrefix("link:") }.sorted { $0.name < $1.name }
    }

    /// Where a saved card is charged when no terminal is named: its processor (off-session),
    /// or the configured terminal that saved it.
    public func channel(forSavedCard id: Int64) throws -> any PaymentChannel {
        guard let saved = try ledger().card(id: id), saved.removedAt == nil else { throw LedgerError.cardNotFound(id) }
        if let gateway = gatewayChannels()[saved.processor] { return gateway }
        guard config.terminal(named: saved.processor) != nil else {
            throw PosPlusAppError.noChannel(
                "Card \(id) was saved on \(saved.processor), which is not a configured terminal or processor; name the terminal.")
        }
        return try terminalChannel(named: saved.processor)
    }

    /// Where a payment is given back when no terminal is named: the processor that took it (a
    /// link payment, a saved card charged off-session), the configured terminal that took it, or
    /// the terminal named by address that took it, where its approving attempt recorded it.
    public func channel(thatTook original: PaymentRecord) throws -> any PaymentChannel {
        if let gateway = gatewayChannels()[original.channel] { return gateway }
        if config.terminal(named: original.channel) == nil,
            let endpoint = try ledger().attempts(paymentID: original.id).last(where: { $0.endpoint != nil })?.endpoint
        {
            return try terminals.channel(named: original.channel, recordedAt: endpoint)
        }
        guard config.terminal(named: original.channel) != nil else {
            throw PosPlusAppError.noChannel(
                "Payment \(original.id) was taken on \(original.channel), which is not a configured terminal or processor; name it with --serial, --tcp or --http as when it was charged."
            )
        }
        return try terminalChannel(named: original.channel)
    }

    /// Sends payment links and cancels them: Stripe, Jobber's invoices, the charge limits.
    public func paymentLinkService() throws -> PaymentLinkService<ContinuousClock> {
        var service = PaymentLinkService(
            ledger: try ledger(), gateway: try stripeGateway(), invoices: try jobber().invoices,
            rules: ChargeGuard(limits: config.chargeLimits), businessName: config.businessName)
        service.approvalThresholds = config.approvals
        service.risk = config.risk
        service.clientHistory = jobberClientHistory
        return service
    }

    /// Keeps cards the client saved with Stripe.
    public func gatewayCards() throws -> GatewayCards { GatewayCards(ledger: try ledger(), gateway: try stripeGateway()) }

    /// Takes saved card or bank account `id` off file — and, one saved with the processor,
    /// detaches it there too, so nobody can charge it again. Returns it as it was.
    @discardableResult
    public func removeSavedMethod(id: Int64, actor: String) async throws -> CardOnFileRecord {
        guard let card = try ledger().card(id: id), card.removedAt == nil else { throw LedgerError.cardNotFound(id) }
        if gatewayChannels()[card.processor] != nil {
            try await gatewayCards().remove(card, actor: actor)
        } else {
            try ledger().removeCard(id: id, actor: actor)
        }
        return card
    }

    /// Closes a terminal's batch and records it.
    public func batchClosing() throws -> BatchClosing { BatchClosing(ledger: try ledger(), currency: config.currency, logger: logger) }

    /// Whether Jobber write-backs can be sent from here (else they wait in the outbox).
    public var isJobberConfigured: Bool { missingJobberSettings.isEmpty }

    /// The outbox's handlers: payment-link emails and texts, and — when Jobber is set up — the
    /// Jobber notes and, with Stripe too, deactivating links of invoices paid in full. Jobs of a
    /// kind with no handler here wait, failed with that reason, for a process that has one.
    public func outboxHandlers() throws -> [String: OutboxWorker.Handler] {
        let ledger = try ledger()
        var handlers = LinkDelivery.handlers(
            ledger: ledger, mailer: try mailer(), sms: try smsSender(), businessName: config.businessName, templates: config.messages)
        handlers[ReceiptDelivery.kind] = ReceiptDelivery.handler(
            builder: try receiptBuilder(), mailer: try mailer(), sms: try smsSender(), timeZone: config.reconcile.timeZone)
        guard isJobberConfigured else { return handlers }
        let jobber = try jobber()
        handlers[JobberWriteBackJob.kind] = JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: jobber.graphQL))
        handlers.merge(try declineRecoveries().handlers()) { _, new in new }
        handlers.merge(try invoiceReminders().handlers()) { _, new in new }
        handlers.merge(try disputeFollowUp().handlers()) { _, new in new }
        handlers[PlanInstalmentJob.kind] = PlanInstalmentJob.handler { try self.planService() }
        if let gateway = try? stripeGateway() {
            handlers[SettledInvoiceLinks.kind] = SettledInvoiceLinks.handler(ledger: ledger, invoices: jobber.invoices, gateway: gateway)
        }
        return handlers
    }

    /// The outbox worker with ``outboxHandlers()``.
    public func outboxWorker() throws -> OutboxWorker {
        OutboxWorker(ledger: try ledger(), handlers: try outboxHandlers(), logger: logger)
    }

    /// The webhook inboxes whose secrets are configured; `refusals` counts forged or bad
    /// deliveries for all of them in one place.
    public func webhookInboxes(refusals: RefusalLog? = nil) throws -> WebhookInboxes {
        let ledger = try ledger()
        return WebhookInboxes(
            jobber: config.jobber.clientSecret.map {
                JobberWebhookInbox(ledger: ledger, verifier: JobberWebhookVerifier(clientSecret: $0), logger: logger, refusals: refusals)
            },
            stripe: config.stripe.webhookSecret.map {
                var inbox = StripeWebhookInbox(
                    ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: $0), logger: logger, refusals: refusals)
                inbox.stepObserver = stepObserver
                inbox.receiptMode = config.receipts.mode
                inbox.declineMode = config.declines.mode
                // Only the channels posplus charges on itself; a link's payments settle by checkout.
                inbox.gatewayChannels = gatewayChannels().filter { !$0.key.hasPrefix("link:") }.mapValues { $0 as any PaymentChannel }
                return inbox
            })
    }
}

/// The webhook inboxes a process can verify and process, by source.
public struct WebhookInboxes: Sendable {
    public var jobber: JobberWebhookInbox?
    public var stripe: StripeWebhookInbox?

    /// Every configured inbox.
    public var all: [any WebhookInbox] { [jobber as (any WebhookInbox)?, stripe].compactMap { $0 } }

    /// The inbox for a stored event's source ("jobber", "stripe"), if configured here.
    public func inbox(forSource source: String) -> (any WebhookInbox)? {
        switch source {
        case "jobber": jobber
        case "stripe": stripe
        default: nil
        }
    }
}

/// What the composition root cannot build, in a sentence staff can act on.
public enum PosPlusAppError: Error, Equatable, Sendable, CustomStringConvertible {
    case noChannel(String)

    public var description: String {
        switch self {
        case .noChannel(let sentence): sentence
        }
    }
}

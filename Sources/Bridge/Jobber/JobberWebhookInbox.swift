import Foundation
import Jobber
import Ledger
import Logging
import PosPlusCore

/// Where Jobber's webhooks land: verify, store, answer — then process.
///
/// Jobber wants an answer within a second and delivers at least once, so ``receive(body:signature:)``
/// does only the cheap, durable part (signature, then a row keyed by topic, account, item and
/// time) and ``processPending()`` acts later. A forged body is refused and logged without its
/// content, at a bounded rate (``RefusalLog``); a duplicate is acknowledged and ignored.
public struct JobberWebhookInbox: Sendable {
    public let ledger: Ledger
    public let verifier: JobberWebhookVerifier
    public let logger: Logger
    /// Where refusals are counted and logged at a bounded rate (shared with the endpoint).
    public let refusals: RefusalLog

    public init(ledger: Ledger, verifier: JobberWebhookVerifier, logger: Logger, refusals: RefusalLog? = nil) {
        self.ledger = ledger
        self.verifier = verifier
        self.logger = logger
        self.refusals = refusals ?? RefusalLog(logger: logger)
    }

    public typealias Receipt = WebhookReceipt

    /// Verifies and stores one delivery. Throws ``JobberError/invalidWebhook(_:)`` for a
    /// forged, unsigned or malformed body (the HTTP layer answers 401/400).
    public func receive(body: [UInt8], signature: String?) throws -> Receipt {
        let event: JobberWebhookEvent
        do { event = try verifier.verify(body: body, signature: signature) } catch {
            let kind: String
            if case .invalidWebhook(let problem) = error { kind = problem.kind } else { kind = "other" }
            refusals.refused("Jobber", kind: kind, detail: "\(error)", bytes: body.count)
            throw error
        }
        let stored = try ledger.storeWebhook(
            source: "jobber", dedupeKey: event.deduplicationKey, topic: event.rawTopic, accountID: event.accountID, itemID: event.itemID,
            payload: String(decoding: body, as: UTF8.self))
        return stored.map { .stored(id: $0.id) } ?? .duplicate
    }

    /// Jobber's events are stored under this source.
    public var source: String { "jobber" }

    /// Acts on every due stored event; returns how many were finished.
    ///
    /// - APP_DISCONNECT: the account's tokens are forgotten and posplus stops calling Jobber.
    /// - INVOICE_CREATE and INVOICE_UPDATE: the invoice's reminders are planned again
    ///   (`reminders.plan`, which re-reads it: webhooks carry ids only), and a decline recovery
    ///   running on it looks at it now, so a payment recorded in Jobber stops it at once; and
    ///   its open links and payment plan are looked at (``SettledInvoiceLinks``), so a link
    ///   cannot take money for an invoice paid in Jobber, and its plan ends.
    /// - INVOICE_UPDATE and PAYMENT_*: recorded for `posplus reconcile`, which re-reads the
    ///   invoice; charges always re-read the invoice anyway.
    ///
    /// An event whose processing fails (a busy ledger) stays pending and is tried again later,
    /// without holding up the events after it (``WebhookQueue``).
    @discardableResult
    public func processPending() throws -> Int {
        try WebhookQueue.processDue(source: source, ledger: ledger, logger: logger, actor: "jobber webhook") { event in
            switch event.topic {
            case "APP_DISCONNECT":
                if let account = event.accountID { try ledger.disconnectJobberAccount(account, actor: "jobber webhook") }
                return "account disconnected; tokens forgotten"
            case "INVOICE_CREATE", "INVOICE_UPDATE":
                guard let invoiceID = event.itemID else { return "ignored: no invoice id" }
                try ledger.enqueue(ReminderJobs.plan(invoiceID: invoiceID, event: event.id))
                if let recovery = try ledger.activeDeclineRecovery(invoiceID: invoiceID) {
                    try ledger.enqueue(DeclineJobs.tick(recoveryID: recovery.id, at: nil), paymentID: recovery.paymentID)
                }
                for job in try SettledInvoiceLinks.jobs(invoiceID: invoiceID, jobberEvent: event.id, in: ledger) { try ledger.enqueue(job) }
                return "reminders planned again; noted for reconciliation"
            case "PAYMENT_CREATE", "PAYMENT_UPDATE", "PAYMENT_DESTROY":
                return "noted for reconciliation"
            default:
                return "ignored: posplus does not act on \(event.topic)"
            }
        }
    }
}

import Foundation
import Gateway
import HTTPClient
import Jobber
import Ledger
import Logging
import PosPlusCore

/// Where Stripe's webhooks land: verify, store once per event id, answer — then process.
///
/// Processing is monotonic: an event can move a link or payment forward (open → paid,
/// pending → settled), never back; a late `payment_intent.payment_failed` after success is
/// recorded and ignored.
public struct StripeWebhookInbox: Sendable {
    public let ledger: Ledger
    public let verifier: StripeWebhookVerifier
    public let logger: Logger
    /// Where refusals are counted and logged at a bounded rate (shared with the endpoint).
    public let refusals: RefusalLog
    /// Told as a reported payment passes each step boundary (the crash test's seam).
    public var stepObserver: (@Sendable (PaymentStep) -> Void)?
    /// `receipts.mode` for the payments customers make through links.
    public var receiptMode = AutomationMode.off
    /// `declines.mode`: a returned bank debit starts its recovery unless off.
    public var declineMode = AutomationMode.off
    /// The channels posplus itself charges through at this processor, by name: a bank debit
    /// made on one settles (with its Jobber note) when the processor says it succeeded.
    public var gatewayChannels: [String: any PaymentChannel] = [:]

    public init(ledger: Ledger, verifier: StripeWebhookVerifier, logger: Logger, refusals: RefusalLog? = nil) {
        self.ledger = ledger
        self.verifier = verifier
        self.logger = logger
        self.refusals = refusals ?? RefusalLog(logger: logger)
    }

    /// Verifies and stores one delivery; throws ``StripeWebhookError`` for a forged, stale or
    /// malformed one (logged without its body, at a bounded rate: ``RefusalLog``).
    public func receive(body: [UInt8], signature: String?) throws -> WebhookReceipt {
        let event: StripeEvent
        do { event = try verifier.verify(body: body, signature: signature) } catch {
            refusals.refused("Stripe", kind: error.kind, detail: "\(error)", bytes: body.count)
            throw error
        }
        let stored = try ledger.storeWebhook(
            source: "stripe", dedupeKey: event.id, topic: event.type, accountID: nil, itemID: event.object["id"]?.string,
            payload: String(decoding: body, as: UTF8.self))
        return stored.map { .stored(id: $0.id) } ?? .duplicate
    }

    /// Stripe's events are stored under this source.
    public var source: String { "stripe" }

    /// Acts on every due stored event; returns how many were finished. An event whose
    /// processing fails stays pending and is tried again later (``WebhookQueue``); only one
    /// that can never be read ends as failed.
    @discardableResult
    public func processPending() throws -> Int {
        try WebhookQueue.processDue(source: source, ledger: ledger, logger: logger, actor: Self.actor, apply: apply)
    }

    private func apply(_ stored: StoredWebhook) throws -> String {
        let event: JSONValue
        do { event = try JSONValue.parse(Array(stored.payload.utf8)) } catch { throw UnreadableWebhook("\(error)") }
        guard let object = event["data"]?["object"] else { return "ignored: no data.object" }
        switch stored.topic {
        case "checkout.session.completed", "checkout.session.async_payment_succeeded":
            return try linkPaid(object, settled: stored.topic == "checkout.session.async_payment_succeeded")
        case "checkout.session.async_payment_failed":
            return try bankDebitFailed(intent: object["payment_intent"]?.string, reason: "the bank refused the debit")
        case "charge.failed":
            // After success this is a return: the money came back from the customer's bank.
            let reason = object["failure_code"]?.string ?? object["failure_message"]?.string ?? "returned by the bank"
            return try bankDebitFailed(intent: object["payment_intent"]?.string, reason: reason)
        case "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed", "charge.dispute.funds_withdrawn",
            "charge.dispute.funds_reinstated":
            return try disputeReported(object)
        case "payment_intent.succeeded":
            return try bankDebitSucceeded(intent: object["id"]?.string)
        case "payment_intent.payment_failed":
            guard let id = object["id"]?.string, let payment = try ledger.payment(processorReference: id) else {
                return try linkDeclined(object, event: stored.dedupeKey)
            }
            if [.approved, .settled, .partiallyRefunded, .refunded].contains(payment.state) {
                return "ignored: payment \(payment.id) already succeeded; a late failure does not undo it"
            }
            if payment.operation.rail == .ach, gatewayChannels[payment.channel] != nil {
                let error = object["last_payment_error"]
                return try bankDebitFailed(
                    intent: id, reason: error?["code"]?.string ?? error?["message"]?.string ?? "the bank refused the debit")
            }
            return "noted for reconciliation"
        default:
            return "noted for reconciliation"
        }
    }

    /// A card refused on the page of one of our open links (the processor's payment carries the
    /// link's reference): recorded as a declined payment, so its recovery can start. Anything
    /// else — not our link, a link already paid or cancelled — is only noted.
    private func linkDeclined(_ intent: JSONValue, event: String) throws -> String {
        guard let reference = intent["metadata"]?["posplus_reference"]?.string, let link = try ledger.link(reference: reference) else {
            return "noted: not a posplus payment"
        }
        guard link.state == .open, link.invoiceID != nil || link.quoteID != nil else {
            return "noted: link \(link.id) is \(link.state.rawValue); a card refused on its page changes nothing"
        }
        let error = intent["last_payment_error"]
        let codes = DeclineCodes(gatewayCode: error?["code"]?.string, gatewayDeclineCode: error?["decline_code"]?.string)
        let details = AttemptDetails(message: error?["message"]?.string ?? "declined on the payment page", codes: codes)
        let payment = try LinkPaymentRecording(ledger: ledger, stepObserver: stepObserver).recordDecline(
            link: link, event: event, details: details, declines: declineMode, actor: Self.actor)
        return "link \(link.id): a card was declined on its page (\(codes.gatewayDeclineCode ?? codes.gatewayCode ?? "declined")); "
            + "payment \(payment.id) records it"
    }

    /// A card dispute on one of posplus's payments is recorded on it; a new open one stops
    /// whatever chases its invoice (``DisputeFollowUp``), queued in the same transaction. Its
    /// money is reconciled as before (`reconcile` lists it as reversed outside posplus).
    private func disputeReported(_ dispute: JSONValue) throws -> String {
        let intent = dispute["payment_intent"]?.string ?? dispute["payment_intent"]?["id"]?.string
        guard let intent, let payment = try ledger.payment(processorReference: intent) else { return "noted: not a posplus payment" }
        guard let id = dispute["id"]?.string, !id.isEmpty, let status = dispute["status"]?.string,
            let minor = dispute["amount"]?.numberText.flatMap(Int64.init), minor > 0
        else { throw UnreadableWebhook("a dispute on payment \(payment.id) without its id, status or a positive amount") }
        let currency = (try? Currency(code: (dispute["currency"]?.string ?? "").uppercased())) ?? payment.currency
        let reported = ReportedDispute(
            processor: "stripe", processorDisputeID: id, paymentID: payment.id, amount: Money(minorUnits: minor, currency: currency),
            reason: dispute["reason"]?.string ?? "unstated", status: status)
        // Recorded as the processor says (the money moved as it says); an amount posplus never
        // took is flagged for a person, who reconciles it.
        var check = ""
        if currency != payment.currency || minor > payment.capturedMinor {
            check = "; check: it disputes \(reported.amount.formatted) of a payment that took \(payment.captured.formatted)"
            logger.warning("a dispute's amount differs from its payment's", metadata: ["payment": "\(payment.id)", "dispute": "\(id)"])
        }
        switch try ledger.recordDispute(reported, actor: Self.actor, jobs: { DisputeJobs.opened(on: $0, dispute: id) }) {
        case .opened(let record):
            return "payment \(payment.id): \(record.summary) recorded" + (record.isOpen ? "; its invoice is no longer chased" : "") + check
        case .updated(let record, let before):
            return "payment \(payment.id): dispute \(record.processorDisputeID) moved from \(before) to \(record.status)"
        case .unchanged(let record):
            return "payment \(payment.id): dispute \(record.processorDisputeID) is already \(record.status)"
        }
    }

    /// A bank debit that failed while pending, or came back after it settled, is returned in the
    /// ledger; a card payment is never moved back by these events.
    private func bankDebitFailed(intent: String?, reason: String) throws -> String {
        guard let intent, let payment = try ledger.payment(processorReference: intent) else { return "noted: not a posplus payment" }
        let id = payment.id
        guard payment.operation.rail == .ach, [.pending, .settled].contains(payment.state) else {
            return "ignored: payment \(id) is \(payment.state.rawValue); only a pending or settled bank debit can be returned"
        }
        // A returned debit is a decline found late: its recovery starts with the return.
        _ = try ledger.recordBankReturn(
            paymentID: id, reason: reason, actor: "stripe webhook",
            jobs: declineMode == .off ? [] : DeclineJobs.start(for: payment).map { [$0] } ?? [])
        return "payment \(id) returned: \(reason)"
    }

    /// A bank debit posplus made through the processor cleared: it is settled, and the Jobber
    /// note that waited for the money is queued in the same transaction. (A link's debit
    /// settles through its checkout's events instead.)
    private func bankDebitSucceeded(intent: String?) throws -> String {
        guard let intent, let payment = try ledger.payment(processorReference: intent) else { return "noted: not a posplus payment" }
        guard let channel = gatewayChannels[payment.channel] else { return "noted: settled through its link's checkout" }
        guard payment.operation.rail == .ach, payment.state == .pending else {
            return "ignored: payment \(payment.id) is \(payment.state.rawValue); only a pending bank debit settles"
        }
        let reference = try ledger.attempts(paymentID: payment.id).last?.reference ?? payment.idempotencyKey
        let settled = try ReportedPayments(ledger: ledger, receiptMode: receiptMode).settle(
            payment, reference: reference, on: channel, actor: Self.actor, paidBy: payment.operator)
        return "payment \(settled.id) settled"
    }

    /// A completed checkout of one of our links: the payment is recorded (approved, or pending
    /// while a bank debit processes) and the link closed as paid, once. The Jobber write-back is
    /// queued with the money: at approval for a card, at settlement for a bank debit.
    ///
    /// Every step is idempotent, so an event whose processing died halfway (the payment begun,
    /// or its attempt started but not finished) is completed when it is processed again.
    private func linkPaid(_ session: JSONValue, settled: Bool) throws -> String {
        guard let linkID = session["payment_link"]?.string, let link = try ledger.link(processor: "stripe", processorLinkID: linkID) else {
            return "ignored: not a posplus link"
        }
        // The intent is the payment's idempotency key: without one, two sessions would share a key.
        guard let intent = session["payment_intent"]?.string ?? session["payment_intent"]?["id"]?.string, !intent.isEmpty else {
            throw UnreadableWebhook("the completed checkout of link \(linkID) names no payment_intent")
        }
        let amount = Money(minorUnits: session["amount_total"]?.numberText.flatMap(Int64.init) ?? link.amountMinor, currency: link.currency)
        let payment = try LinkPaymentRecording(ledger: ledger, stepObserver: stepObserver, receipts: receiptMode).record(
            link: link, intent: intent, amount: amount, paid: session["payment_status"]?.string == "paid", settled: settled,
            actor: Self.actor)
        let paymentID = payment.id
        // A checkout opened before its link was cancelled can still complete: the money is in,
        // so it is recorded, and a person is told to check the invoice is not paid twice.
        let late =
            link.state == .cancelled
            ? "; the link had been cancelled: check invoice #\(link.invoiceNumber ?? "?") is not overpaid, and refund any excess" : ""
        if !late.isEmpty { logger.warning("a cancelled link was paid", metadata: ["link": "\(link.id)", "payment": "\(paymentID)"]) }
        return
            (payment.state == .pending
            ? "link \(link.id) paid by bank debit, pending: payment \(paymentID)" : "link \(link.id) paid: payment \(paymentID)") + late
    }

    private static let actor = "stripe webhook"
}

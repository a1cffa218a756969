import Foundation
import Ledger
import PosPlusCore

/// A customer paid one of our links: the payment recorded on the one path (approved for a card,
/// pending while a bank debit processes, settled when it clears) and the link closed as paid,
/// once. Stripe's webhook reports it; reconcile adopts one the webhook never brought.
///
/// Every step is idempotent (the processor's payment id is the key), so a report processed
/// twice, or whose processing died halfway, is completed, never doubled.
struct LinkPaymentRecording {
    let ledger: Ledger
    var stepObserver: (@Sendable (PaymentStep) -> Void)?
    /// `receipts.mode`: a card paid through a link gets its receipt like one paid at the counter.
    var receipts = AutomationMode.off

    static let customer = "the customer online"

    /// - Parameters:
    ///   - paid: the money is in (a card; a bank debit once it cleared). Otherwise a bank debit pending.
    ///   - settled: reported when a pending bank debit cleared.
    func record(link: PaymentLinkRecord, intent: String, amount: Money, paid: Bool, settled: Bool, actor: String) throws -> PaymentRecord {
        let isCard = paid && !settled
        let operation: PaymentOperation = isCard ? (link.quoteID == nil ? .sale : .deposit) : .achDebit
        let details = AttemptDetails(captured: amount, message: "paid through link \(link.processorLinkID)", processorReference: intent)
        let channel = GatewayChannel.reportedOnly(name: GatewayChannel.linkChannelName(of: link.processor))
        let recorded = try ReportedPayments(ledger: ledger, stepObserver: stepObserver, receiptMode: receipts).record(
            ReportedPayments.Report(
                request: PaymentRequest(
                    operation: operation, amount: amount,
                    intent: link.quoteID != nil ? .deposit : amount.minorUnits == link.amountMinor ? .fullBalance : .partial,
                    invoiceID: link.invoiceID, invoiceNumber: link.invoiceNumber, quoteID: link.quoteID, channel: channel.name),
                idempotencyKey: try IdempotencyKey("stripe-\(intent)"), reference: try PaymentReference(link.reference),
                answer: ChannelAnswer(operation.rail == .card ? .approved(details) : .pending(details)), actor: actor,
                paidBy: Self.customer),
            on: channel)
        var payment = recorded
        if settled, recorded.state == .pending {
            payment = try ReportedPayments(ledger: ledger, receiptMode: receipts).settle(
                recorded, reference: link.reference, on: channel, actor: actor, paidBy: Self.customer)
        }
        if link.state == .open { _ = try ledger.closeLink(id: link.id, as: .paid, paymentID: recorded.id, actor: actor) }
        return payment
    }

    /// The customer's card was refused on the link's page (the processor's event `event`): the
    /// decline is recorded as a payment of its own, declined with the processor's codes, so its
    /// recovery starts like any other decline's (under `declines`). The link stays open — the
    /// customer may try another card — and no money moved, so no note or receipt follows.
    ///
    /// Its key names the link and the event, not the processor's payment: Checkout keeps one
    /// payment through every try, and a later success of the same payment is a payment apart.
    func recordDecline(
        link: PaymentLinkRecord, event: String, details: AttemptDetails, declines: AutomationMode, actor: String
    ) throws -> PaymentRecord {
        var generator = SystemRandomNumberGenerator()
        let channel = GatewayChannel.reportedOnly(name: GatewayChannel.linkChannelName(of: link.processor))
        return try ReportedPayments(ledger: ledger, stepObserver: stepObserver, declineMode: declines).record(
            ReportedPayments.Report(
                request: PaymentRequest(
                    operation: link.quoteID == nil ? .sale : .deposit, amount: link.amount,
                    intent: link.quoteID != nil ? .deposit : .partial,
                    invoiceID: link.invoiceID, invoiceNumber: link.invoiceNumber, quoteID: link.quoteID, channel: channel.name),
                idempotencyKey: try LinkDeclineKey.make(linkID: link.id, event: event),
                reference: PaymentReference.random(using: &generator), answer: ChannelAnswer(.declined(details)), actor: actor,
                paidBy: Self.customer),
            on: channel)
    }
}

/// The key of a decline on a link's page: `link-7-declined-evt_…`. It names the link, so the
/// recovery that follows can take that link back when it sends one of its own (one live link).
enum LinkDeclineKey {
    static func make(linkID: Int64, event: String) throws -> IdempotencyKey {
        try IdempotencyKey("link-\(linkID)-declined-\(event)")
    }

    /// The link a decline's payment was refused on, or nil for any other payment.
    static func linkID(of payment: PaymentRecord) -> Int64? {
        let parts = payment.idempotencyKey.split(separator: "-", maxSplits: 3)
        guard parts.count == 4, parts[0] == "link", parts[2] == "declined" else { return nil }
        return Int64(parts[1])
    }
}

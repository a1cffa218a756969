import Foundation
import Ledger
import PosPlusCore
import Receivables

extension PaymentService {
    /// The approval step of a new charge, after Jobber's check and before anything is recorded:
    /// a keyed sale over `approvals.keyed_over`, and the risk signals (`risk.mode`), held as one
    /// approval with every reason. Returns when the charge may go ahead; otherwise throws
    /// ``ApprovalHold`` with nothing begun and nothing sent to the terminal or processor.
    ///
    /// Approved, the charge runs under the same key (``ApprovalDesk``) and passes here even if
    /// a signal fires again. What the scorer sees: the amount, the client, whether the card is
    /// keyed, and the saved card's brand and last four for a card-on-file sale (a card presented
    /// at the counter is read only during the sale, so "declined on another client" cannot be
    /// judged before it).
    func screenCharge(
        _ order: ChargeOrder, invoice: InvoiceSnapshot, amount: Money, savedCard: CardOnFileRecord?, on channel: any PaymentChannel,
        by actor: String, key: IdempotencyKey
    ) async throws {
        let threshold = order.operation == .keyedSale ? approvalThresholds.reason(for: .keyedSale(amount)) : nil
        let card = savedCard.flatMap { try? MaskedCard(brand: $0.brand, last4: $0.last4) }
        let request = RiskRequest(
            amount: amount, clientID: invoice.clientID, isKeyed: order.operation == .keyedSale, card: card, at: ledger.now())
        let what = order.operation == .keyedSale ? "keyed sale" : order.operation.displayName.lowercased()
        let jobber = await RiskScreen.jobberHistory(for: request, settings: risk, source: clientHistory)
        try RiskScreen(ledger: ledger, settings: risk, logger: logger, jobber: jobber).require(
            request, threshold: threshold,
            approval: { reason in
                NewApproval(
                    idempotencyKey: key, kind: order.operation == .keyedSale ? .keyedSale : .charge,
                    summary: "\(what) of \(amount.formatted) on invoice #\(invoice.number), on \(channel.name)", reason: reason,
                    amount: amount, channel: channel.name, orderJSON: try HeldOrder(Order.charge(order)).json(),
                    invoiceNumber: invoice.number)
            }, by: actor, context: ["invoice": .text(invoice.number), "key": .text(key.rawValue), "channel": .text(channel.name)])
    }

    /// The same step for a quote's deposit taken at the counter: scored on the quote's client,
    /// held as a `charge` approval that, approved, takes the deposit under its key.
    func screenDeposit(
        _ order: Order, quote: QuoteSnapshot, amount: Money, on channel: any PaymentChannel, by actor: String, key: IdempotencyKey
    ) async throws {
        let request = RiskRequest(amount: amount, clientID: quote.clientID, at: ledger.now())
        let jobber = await RiskScreen.jobberHistory(for: request, settings: risk, source: clientHistory)
        try RiskScreen(ledger: ledger, settings: risk, logger: logger, jobber: jobber).require(
            request, threshold: nil,
            approval: { reason in
                NewApproval(
                    idempotencyKey: key, kind: .charge,
                    summary: "deposit of \(amount.formatted) on quote #\(quote.number), on \(channel.name)",
                    reason: reason, amount: amount, channel: channel.name, orderJSON: try HeldOrder(order).json())
            }, by: actor, context: ["quote": .text(quote.number), "key": .text(key.rawValue), "channel": .text(channel.name)])
    }
}

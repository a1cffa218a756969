import Ledger
import PosPlusCore

/// What posplus itself has already done on an invoice, which Jobber may not show yet: Jobber's
/// public API cannot record a payment (only a note), so its balance can lag behind the ledger.
/// The payment path charges no more than Jobber's balance minus what posplus has already
/// collected, and nothing at all while an earlier payment on the invoice is in doubt.
struct InvoiceHistory {
    let payments: [PaymentRecord]

    init(ledger: Ledger, invoiceID: String) throws {
        payments = try ledger.payments(invoiceID: invoiceID)
    }

    /// Money posplus holds for the invoice: captured minus refunded, over charges that stand
    /// (approved, settled, partly refunded, or a bank debit still pending).
    var collected: (total: Money, paymentIDs: [Int64])? {
        let standing: Set<PaymentState> = [.approved, .partiallyApproved, .partiallyRefunded, .settled, .pending]
        let charges = payments.filter { $0.operation.collectsMoney && standing.contains($0.state) }
        guard let first = charges.first, let currency = try? Currency(code: first.currency) else { return nil }
        let minor = charges.reduce(Int64(0)) { $0 + $1.capturedMinor - $1.refundedMinor }
        guard minor > 0 else { return nil }
        return (Money(minorUnits: minor, currency: currency), charges.compactMap(\.id))
    }

    /// Charges on the invoice whose outcome is not known yet.
    var inDoubt: [PaymentRecord] { payments.filter { $0.state == .sent || $0.state == .unknown } }

    /// Throws unless `amount` may be asked for on `invoice` as far as the ledger knows: no
    /// payment on it in doubt, and no more than Jobber's balance minus what posplus collected.
    func requireRoom(for amount: Money, on invoice: InvoiceSnapshot) throws(InvoiceHistoryRefusal) {
        if let doubtful = inDoubt.first {
            throw .paymentInDoubt(invoice: invoice.number, paymentID: doubtful.id ?? 0, channel: doubtful.channel)
        }
        guard let (collected, ids) = collected, collected.currency == invoice.balance.currency else { return }
        let stillDue = Money(minorUnits: max(0, invoice.balance.minorUnits - collected.minorUnits), currency: collected.currency)
        if amount.minorUnits > stillDue.minorUnits {
            throw .alreadyCollected(invoice: invoice.number, collected: collected, paymentIDs: ids, stillDue: stillDue)
        }
    }
}

/// Why the payment path will not charge an invoice that Jobber alone would allow.
public enum InvoiceHistoryRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// An earlier payment on the invoice may have taken the money; it must be resolved first.
    case paymentInDoubt(invoice: String, paymentID: Int64, channel: String)
    /// posplus already took money Jobber does not show; only the rest may be charged.
    case alreadyCollected(invoice: String, collected: Money, paymentIDs: [Int64], stillDue: Money)

    public var description: String {
        switch self {
        case .paymentInDoubt(let invoice, let id, let channel):
            return
                "Payment \(id) on invoice #\(invoice) is in doubt (its answer from \(channel) was lost); run `posplus recover` before charging it again."
        case .alreadyCollected(let invoice, let collected, let ids, let stillDue):
            let list = ids.map(String.init).joined(separator: ", ")
            return stillDue.isPositive
                ? "posplus has already taken \(collected.formatted) on invoice #\(invoice) (payment \(list)), which Jobber does not show yet; at most \(stillDue.formatted) can be charged now."
                : "posplus has already taken \(collected.formatted) on invoice #\(invoice) (payment \(list)); nothing is left to charge, whatever Jobber shows yet."
        }
    }
}

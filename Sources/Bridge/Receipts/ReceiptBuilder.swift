import Foundation
import Jobber
import Ledger
import PosPlusCore

/// Builds the ``Receipt`` of one ledger payment: the money from the ledger, the items from the
/// Jobber invoice (read fresh), the business from config.
///
/// Only money that moved has a receipt: an approved (or partly approved) payment, a refund, a
/// void. A refund or void that the terminal answered without the card takes it from the
/// payment it acts on, so the customer sees which card gets the money back.
public struct ReceiptBuilder<C: Clock<Duration>>: Sendable {
    public let ledger: Ledger
    /// Jobber's invoices; nil where Jobber is not set up (the receipt then has no items).
    public let invoices: JobberInvoices<C>?
    public let business: BusinessDetails

    public init(ledger: Ledger, invoices: JobberInvoices<C>?, business: BusinessDetails) {
        self.ledger = ledger
        self.invoices = invoices
        self.business = business
    }

    public func receipt(paymentID: Int64) async throws -> Receipt {
        let payment = try Self.receiptable(paymentID, in: ledger)
        let original = try payment.originalPaymentID.flatMap { try ledger.payment(id: $0) }
        var itemization: InvoiceItemization?
        if let invoiceID = payment.invoiceID, let invoices {
            var invoice = try await invoices.itemization(invoiceID: invoiceID)
            invoice.balance = try Self.balance(jobber: invoice.balance, collected: ledger.standing(invoiceID: invoiceID).collected)
            itemization = invoice
        }
        return Self.receipt(for: payment, original: original, invoice: itemization, business: business)
    }

    /// The client's contacts on the payment's invoice, for "send it where they prefer".
    public func contacts(paymentID: Int64) async throws -> CustomerContacts? {
        guard let payment = try ledger.payment(id: paymentID), let invoiceID = payment.invoiceID, let invoices else { return nil }
        return try await invoices.itemization(invoiceID: invoiceID).client
    }

    /// What the customer still owes: Jobber's balance less the money posplus took that Jobber
    /// does not count yet (its API records our payments only as notes), never below zero. Else a
    /// receipt printed right after paying would show the amount just paid as still due.
    static func balance(jobber: Money, collected: Money?) throws -> Money {
        guard let collected else { return jobber }
        let left = try jobber - collected
        return left.isPositive ? left : .zero(jobber.currency)
    }

    /// The payment, if it has a receipt; else an error saying why not.
    static func receiptable(_ id: Int64, in ledger: Ledger) throws -> PaymentRecord {
        guard let payment = try ledger.payment(id: id) else { throw LedgerError.paymentNotFound("\(id)") }
        guard payment.capturedMinor > 0, payment.operation != .tokenize else { throw ReceiptError.noMoneyMoved(id, payment.state.rawValue) }
        return payment
    }

    /// Pure assembly: the same payment, original and invoice always give the same receipt.
    static func receipt(for payment: PaymentRecord, original: PaymentRecord?, invoice: InvoiceItemization?, business: BusinessDetails)
        -> Receipt
    {
        let kind: Receipt.Kind = payment.operation == .refund ? .refund : payment.operation == .void ? .void : .payment
        let card = Self.card(of: payment) ?? original.flatMap(Self.card(of:))
        return Receipt(
            kind: kind, paymentID: payment.id, originalPaymentID: payment.originalPaymentID, date: payment.updatedAt, business: business,
            invoice: invoice, amount: payment.captured, method: payment.operation.displayName,
            card: card, authCode: payment.authCode, cardReading: payment.cardReading ?? (kind == .payment ? nil : original?.cardReading),
            reference: payment.processorReference)
    }

    private static func card(of payment: PaymentRecord) -> MaskedCard? {
        guard let brand = payment.cardBrand, let last4 = payment.cardLast4 else { return nil }
        return try? MaskedCard(brand: brand, last4: last4)
    }
}

/// Why there is no receipt to show or send.
public enum ReceiptError: Error, Equatable, Sendable, CustomStringConvertible {
    case noMoneyMoved(Int64, String)
    case noDestination(Int64)

    public var description: String {
        switch self {
        case .noMoneyMoved(let id, let state):
            "Payment \(id) has no receipt: no money moved (it is \(state))."
        case .noDestination(let id):
            "Payment \(id)'s client has no email address or texting number in Jobber; give one (--email or --sms)."
        }
    }
}

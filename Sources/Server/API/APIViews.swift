import Bridge
import Foundation
import Ledger
import PosPlusCore

/// An amount in an answer: exact minor units and the currency for programs, decimal text for
/// a form field, and the formatted text for people. Never a JSON float.
struct AmountView: Encodable, Equatable, Sendable {
    var minorUnits: Int64
    var currency: String
    var decimal: String
    var formatted: String

    init(_ money: Money) {
        minorUnits = money.minorUnits
        currency = money.currency.code
        decimal = money.decimalText
        formatted = money.formatted
    }
}

/// A Jobber invoice as the front desk reads it before charging.
struct InvoiceView: Encodable {
    var id: String
    var number: String
    var status: String
    /// Whether posplus will charge it (sent, not yet settled).
    var payable: Bool
    var total: AmountView
    var balance: AmountView
    var clientID: String
    var clientName: String

    init(_ invoice: InvoiceSnapshot) {
        id = invoice.id
        number = invoice.number
        status = invoice.status.jobberValue
        payable = invoice.status.isPayable
        total = AmountView(invoice.total)
        balance = AmountView(invoice.balance)
        clientID = invoice.clientID
        clientName = invoice.clientName
    }
}

/// A Jobber quote with its deposit.
struct QuoteView: Encodable {
    var id: String
    var number: String
    var status: String
    var total: AmountView
    var deposit: AmountView
    var depositToCollect: AmountView
    var clientID: String
    var clientName: String

    init(_ quote: QuoteSnapshot) {
        id = quote.id
        number = quote.number
        status = quote.status.jobberValue
        total = AmountView(quote.total)
        deposit = AmountView(quote.depositAmount)
        depositToCollect = AmountView(quote.outstandingDeposit)
        clientID = quote.clientID
        clientName = quote.clientName
    }
}

/// A saved card: what staff need to recognise it, never a number.
struct CardView: Encodable {
    var id: Int64
    /// "card", or "bankAccount" (debited by ACH under its mandate).
    var kind: String
    var clientID: String
    var brand: String
    var last4: String
    /// A card's expiry; absent for a bank account.
    var expiryMonth: Int?
    var expiryYear: Int?
    var expired: Bool
    /// Where it was saved, and so where it is charged: a terminal's name or the processor's.
    var processor: String

    init(_ card: CardOnFileRecord, now: Date) {
        id = card.id
        kind = card.kind.rawValue
        clientID = card.clientID
        brand = card.brand
        last4 = card.last4
        expiryMonth = card.expiryMonth
        expiryYear = card.expiryYear
        expired = card.isExpired(at: now)
        processor = card.processor
    }
}

/// A payment link and, once paid, the payment it brought.
struct LinkView: Encodable {
    var id: Int64
    var state: String
    var url: String
    var amount: AmountView
    var invoiceNumber: String?
    var invoiceID: String?
    var quoteID: String?
    var quoteNumber: String?
    var paymentID: Int64?
    var sentBy: String?
    var createdAt: Date
    var expiresAt: Date?

    init(_ link: PaymentLinkRecord) {
        id = link.id
        state = link.state.rawValue
        url = link.url
        amount = AmountView(link.amount)
        invoiceNumber = link.invoiceNumber
        invoiceID = link.invoiceID
        quoteID = link.quoteID
        quoteNumber = link.quoteNumber
        paymentID = link.paymentID
        sentBy = link.sentBy
        createdAt = link.createdAt
        expiresAt = link.expiresAt
    }
}

/// A configured counter terminal.
struct TerminalView: Encodable {
    var name: String
    var driver: String
    var connection: String

    init(_ settings: TerminalSettings) {
        name = settings.name
        driver = settings.driver
        connection = settings.connectionText
    }
}

/// A terminal's health right now.
struct TerminalHealthView: Encodable {
    var name: String
    var state: String
    var detail: String
    var serialNumber: String?
    var model: String?
    var softwareVersion: String?

    init(name: String, _ health: TerminalHealth) {
        self.name = name
        state = health.state.rawValue
        detail = health.detail
        serialNumber = health.serialNumber
        model = health.model
        softwareVersion = health.softwareVersion
    }
}

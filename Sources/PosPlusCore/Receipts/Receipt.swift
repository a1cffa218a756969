import Foundation

/// A receipt for one money movement: an approved payment, a refund or a void.
///
/// A value built from the ledger's payment row (what moved, on which card, with which
/// authorisation), the Jobber invoice (what was bought) and the business's details. Renderers
/// (``ReceiptText``, ``ReceiptHTML``) only format it, so the plain and HTML receipts cannot
/// disagree on a figure.
public struct Receipt: Equatable, Sendable, Codable {
    public enum Kind: String, Equatable, Sendable, Codable {
        case payment, refund, void

        /// The receipt's title.
        public var title: String {
            switch self {
            case .payment: "Payment receipt"
            case .refund: "Refund receipt"
            case .void: "Void receipt"
            }
        }
    }

    public var kind: Kind
    /// The ledger's payment id (the refund's or void's own id for those).
    public var paymentID: Int64
    /// For a refund or void: the payment it gave back or cancelled.
    public var originalPaymentID: Int64?
    public var date: Date
    public var business: BusinessDetails
    /// Nil for a payment on no invoice (a quote's deposit).
    public var invoice: InvoiceItemization?
    /// The quote a deposit was taken on, when there is no invoice.
    public var quoteNumber: String?
    /// What moved: charged, refunded or voided.
    public var amount: Money
    /// How it was paid, in words ("Sale", "Card-on-file sale", "Refund").
    public var method: String
    public var card: MaskedCard?
    public var authCode: String?
    public var cardReading: CardReading?
    /// The processor's or terminal's reference, for the customer to quote.
    public var reference: String?

    public init(
        kind: Kind, paymentID: Int64, originalPaymentID: Int64? = nil, date: Date, business: BusinessDetails,
        invoice: InvoiceItemization? = nil, quoteNumber: String? = nil, amount: Money, method: String, card: MaskedCard? = nil,
        authCode: String? = nil, cardReading: CardReading? = nil, reference: String? = nil
    ) {
        self.kind = kind
        self.paymentID = paymentID
        self.originalPaymentID = originalPaymentID
        self.date = date
        self.business = business
        self.invoice = invoice
        self.quoteNumber = quoteNumber
        self.amount = amount
        self.method = method
        self.card = card
        self.authCode = authCode
        self.cardReading = cardReading
        self.reference = reference
    }

    /// The amount's label: what the customer paid, got back, or had cancelled.
    public var amountLabel: String {
        switch kind {
        case .payment: "Paid"
        case .refund: "Refunded"
        case .void: "Voided"
        }
    }

    /// The receipt's rows below the items, label and value, in print order; both renderers
    /// print exactly these.
    public var paymentRows: [(label: String, value: String)] {
        var rows: [(String, String)] = [(amountLabel, amount.formatted), ("Method", method)]
        if let card { rows.append(("Card", card.display)) }
        if let words = cardReading?.entryModeWords { rows.append(("Entry", words)) }
        if let authCode { rows.append(("Auth code", authCode)) }
        if let label = cardReading?.applicationLabel { rows.append(("Application", label)) }
        if let aid = cardReading?.applicationID { rows.append(("AID", aid)) }
        if let tvr = cardReading?.terminalVerificationResults { rows.append(("TVR", tvr)) }
        if let tsi = cardReading?.transactionStatusInformation { rows.append(("TSI", tsi)) }
        if let reference { rows.append(("Reference", reference)) }
        if let originalPaymentID { rows.append(("Original payment", "#\(originalPaymentID)")) }
        rows.append(("Payment", "#\(paymentID)"))
        return rows
    }

    /// The date as the business's customers read it, in its time zone.
    public func dateText(in timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }
}

/// Who the receipt is from (`business.*` in config).
public struct BusinessDetails: Equatable, Sendable, Codable {
    public var name: String
    /// Address lines as the business writes them.
    public var address: [String]
    public var phone: String?

    public init(name: String, address: [String] = [], phone: String? = nil) {
        self.name = name
        self.address = address
        self.phone = phone
    }
}

import PosPlusCore

/// One thing to ask of a counter terminal. Brand-free: the payment path builds these and never
/// names a protocol; each driver maps them onto its own wire messages.
public struct TerminalRequest: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Card present: tap, insert or swipe.
        case sale(Money)
        /// A PIN debit sale (the customer chose debit; the PIN stays in the terminal).
        case debitSale(Money)
        /// The card number is keyed on the terminal's keypad (mail or telephone order).
        /// posplus never sees the number.
        case keyedSale(Money, MailOrTelephone)
        /// A bank debit keyed on the terminal (check / ACH).
        case achDebit(Money)
        /// Cancels an approved, unsettled transaction in full.
        case void(OriginalTransaction)
        /// Gives back `amount` (all or part) of an earlier transaction.
        case refund(Money, of: OriginalTransaction)
        /// Holds `amount` on the card without taking it (a pre-authorisation).
        case authorize(Money)
        /// Takes (all or part of) an earlier authorisation.
        case capture(Money, of: OriginalTransaction)
        /// Checks the card is good, charging nothing.
        case verifyCard
        /// Saves the card on file: a token, no charge.
        case tokenize
        /// Charges a card saved on file.
        case tokenSale(Money, token: String)
        /// A partial payment ahead of the work, tagged with the invoice or quote.
        case deposit(Money)
    }

    public enum MailOrTelephone: String, Equatable, Sendable {
        case mail
        case telephone
    }

    public var kind: Kind
    /// Our reference for this attempt: the terminal echoes it and can be asked about it later.
    public var reference: PaymentReference
    /// The Jobber invoice (or quote) number, printed on the terminal's receipt.
    public var invoiceNumber: String?
    /// Ask for a card-on-file token along with a sale.
    public var requestToken: Bool

    public init(_ kind: Kind, reference: PaymentReference, invoiceNumber: String? = nil, requestToken: Bool = false) {
        self.kind = kind
        self.reference = reference
        self.invoiceNumber = invoiceNumber
        self.requestToken = requestToken
    }

    /// The amount the customer is asked for (or given back), when the request has one.
    public var amount: Money? {
        switch kind {
        case .sale(let amount), .debitSale(let amount), .keyedSale(let amount, _), .achDebit(let amount), .refund(let amount, _),
            .authorize(let amount), .capture(let amount, _),
            .tokenSale(let amount, _), .deposit(let amount):
            return amount
        case .void, .tokenize, .verifyCard:
            return nil
        }
    }
}

/// What a terminal needs to find an earlier transaction again: the references it gave us.
public struct OriginalTransaction: Equatable, Sendable, Codable {
    /// The terminal's own record number for the transaction.
    public var terminalRecordNumber: String?
    /// The processor's reference (PAX: HREF).
    public var hostReference: String?
    public var authCode: String?
    /// Our reference for the original attempt.
    public var reference: PaymentReference?

    public init(
        terminalRecordNumber: String? = nil, hostReference: String? = nil, authCode: String? = nil, reference: PaymentReference? = nil
    ) {
        self.terminalRecordNumber = terminalRecordNumber
        self.hostReference = hostReference
        self.authCode = authCode
        self.reference = reference
    }
}

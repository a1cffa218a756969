/// An invoice's lines and totals as Jobber states them, for a receipt.
///
/// Read fresh from Jobber when a receipt is built: the ledger keeps what was paid, Jobber keeps
/// what was bought. Amounts are exact (read from Jobber's decimal text, never through `Double`).
public struct InvoiceItemization: Equatable, Sendable, Codable {
    public var invoiceID: String
    public var number: String
    public var subject: String?
    public var lineItems: [InvoiceLine]
    public var subtotal: Money
    public var tax: Money
    public var discount: Money
    public var total: Money
    /// What is still owed now (after this payment, once Jobber has counted it).
    public var balance: Money
    public var client: CustomerContacts

    public init(
        invoiceID: String, number: String, subject: String? = nil, lineItems: [InvoiceLine], subtotal: Money, tax: Money,
        discount: Money, total: Money, balance: Money, client: CustomerContacts
    ) {
        self.invoiceID = invoiceID
        self.number = number
        self.subject = subject
        self.lineItems = lineItems
        self.subtotal = subtotal
        self.tax = tax
        self.discount = discount
        self.total = total
        self.balance = balance
        self.client = client
    }
}

/// One line of an invoice.
public struct InvoiceLine: Equatable, Sendable, Codable {
    public var name: String
    public var description: String?
    /// Jobber's quantity as decimal text ("2", "1.5"): printed, never multiplied here.
    public var quantity: String
    /// Nil when Jobber's unit price has more decimals than the currency (then only the line's
    /// total is printed, which is what the invoice charges).
    public var unitPrice: Money?
    public var total: Money
    public var taxable: Bool

    public init(name: String, description: String? = nil, quantity: String, unitPrice: Money?, total: Money, taxable: Bool) {
        self.name = name
        self.description = description
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.total = total
        self.taxable = taxable
    }
}

/// A Jobber client's name and the ways to reach them, as Jobber lists them.
public struct CustomerContacts: Equatable, Sendable, Codable {
    public var name: String
    /// Email addresses, the primary one first.
    public var emails: [String]
    /// Numbers the client allows texts to, the primary one first.
    public var textablePhones: [String]

    public init(name: String, emails: [String] = [], textablePhones: [String] = []) {
        self.name = name
        self.emails = emails
        self.textablePhones = textablePhones
    }

    /// Where a receipt goes when nobody says: the client's primary email (an itemized receipt
    /// reads best there), else the primary phone that takes texts. Jobber has no "preferred
    /// channel" field; its primary flags are the client's own choice of first contact.
    public var preferred: ReceiptDestination? {
        if let email = emails.first { return .email(email) }
        if let phone = textablePhones.first { return .sms(phone) }
        return nil
    }
}

/// Where a receipt is sent. The text is checked for its shape where it is sent (Messaging).
public enum ReceiptDestination: Equatable, Sendable, Codable {
    case email(String)
    case sms(String)

    public var channel: String {
        switch self {
        case .email: "email"
        case .sms: "sms"
        }
    }

    public var address: String {
        switch self {
        case .email(let address), .sms(let address): address
        }
    }
}

import PosPlusCore

/// The words a customer receives with a payment link, by email or SMS.
///
/// Templates use `{business}`, `{invoice}`, `{quote}`, `{amount}`, `{link}` and `{expiry}`; the
/// defaults are short enough for one SMS segment with a typical link. A link for an invoice and a
/// link for a quote's deposit have their own templates (the words differ, not the mechanics).
public struct PaymentLinkMessage: Equatable, Sendable {
    public var business: String
    public var invoiceNumber: String
    /// Set for a deposit link: the quote whose deposit the link collects.
    public var quoteNumber: String?
    public var amount: Money
    public var url: String
    /// "This link works until it is paid." or a date; Stripe's links do not expire by themselves.
    public var expiry: String

    public init(
        business: String, invoiceNumber: String, quoteNumber: String? = nil, amount: Money, url: String,
        expiry: String = "This link works until it is paid."
    ) {
        self.business = business
        self.invoiceNumber = invoiceNumber
        self.quoteNumber = quoteNumber
        self.amount = amount
        self.url = url
        self.expiry = expiry
    }

    public static let defaultSMS = "{business}: invoice #{invoice}, {amount} due. Pay securely: {link} {expiry}"
    public static let defaultEmailSubject = "Invoice #{invoice} from {business}: {amount}"
    public static let defaultEmailBody = """
        Hello,

        Invoice #{invoice} from {business} is ready to pay: {amount}.

        Pay securely by card or bank account here:
        {link}

        {expiry} If you have already paid, please ignore this message.

        Thank you,
        {business}
        """

    public static let defaultDepositSMS = "{business}: deposit for quote #{quote}, {amount}. Pay securely: {link} {expiry}"
    public static let defaultDepositEmailSubject = "Deposit for quote #{quote} from {business}: {amount}"
    public static let defaultDepositEmailBody = """
        Hello,

        To book the work in quote #{quote}, {business} asks for a deposit of {amount}.

        Pay securely by card or bank account here:
        {link}

        {expiry} If you have already paid, please ignore this message.

        Thank you,
        {business}
        """

    public func render(_ template: String) -> String {
        template.replacingOccurrences(of: "{business}", with: business).replacingOccurrences(of: "{invoice}", with: invoiceNumber)
            .replacingOccurrences(of: "{quote}", with: quoteNumber ?? "").replacingOccurrences(of: "{amount}", with: amount.formatted)
            .replacingOccurrences(of: "{link}", with: url).replacingOccurrences(of: "{expiry}", with: expiry)
    }
}

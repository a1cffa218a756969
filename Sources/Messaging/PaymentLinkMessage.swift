import PosPlusCore

/// The words a customer receives with a payment link, by email or SMS.
///
/// Templates use `{business}`, `{invoice}`, `{amount}`, `{link}` and `{expiry}`; the defaults
/// are short enough for one SMS segment with a typical link.
public struct PaymentLinkMessage: Equatable, Sendable {
    public var business: String
    public var invoiceNumber: String
    public var amount: Money
    public var url: String
    /// "This link works until it is paid." or a date; Stripe's links do not expire by themselves.
    public var expiry: String

    public init(business: String, invoiceNumber: String, amount: Money, url: String, expiry: String = "This link works until it is paid.") {
        self.business = business
        self.invoiceNumber = invoiceNumber
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

    public func render(_ template: String) -> String {
        template.replacingOccurrences(of: "{business}", with: business).replacingOccurrences(of: "{invoice}", with: invoiceNumber)
            .replacingOccurrences(of: "{amount}", with: amount.formatted).replacingOccurrences(of: "{link}", with: url)
            .replacingOccurrences(of: "{expiry}", with: expiry)
    }
}

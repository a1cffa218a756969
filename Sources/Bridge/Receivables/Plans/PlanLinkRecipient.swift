import Messaging

/// Where a plan's links go, as the ledger keeps it: `sms:+15555550101` or
/// `email:ada@example.com`, checked as a link's recipient is when it is sent.
enum PlanLinkRecipient {
    static func parse<C>(_ text: String, for _: PaymentLinkService<C>.Type) throws -> PaymentLinkService<C>.Recipient {
        if text.hasPrefix("sms:") { return .sms(try PhoneNumber(String(text.dropFirst(4)))) }
        if text.hasPrefix("email:") { return .email(try EmailAddress(String(text.dropFirst(6)))) }
        throw MessagingError.invalidPhone(text)
    }

}

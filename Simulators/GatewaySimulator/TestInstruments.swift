/// Stripe's published test cards and bank accounts, and what the simulator does with each.
/// (Test numbers are public and allowed here; posplus itself never sees a card number.)
enum TestInstruments {
    enum CardBehaviour: Equatable {
        case succeeds
        /// Declined at confirmation: Stripe's `code` and `decline_code`.
        case declines(code: String, declineCode: String?, message: String)
        /// Needs the customer (3-D Secure): `requires_action`, or a decline when off-session.
        case needsAuthentication
    }

    static func card(_ number: String) -> (brand: String, behaviour: CardBehaviour)? {
        switch number {
        case "4242424242424242": return ("visa", .succeeds)
        case "5555555555554444": return ("mastercard", .succeeds)
        case "378282246310005": return ("amex", .succeeds)
        case "4000000000000002":
            return ("visa", .declines(code: "card_declined", declineCode: "generic_decline", message: "Your card was declined."))
        case "4000000000009995":
            return (
                "visa", .declines(code: "card_declined", declineCode: "insufficient_funds", message: "Your card has insufficient funds.")
            )
        case "4000000000009987":
            return ("visa", .declines(code: "card_declined", declineCode: "lost_card", message: "Your card was declined."))
        case "4000000000009979":
            return ("visa", .declines(code: "card_declined", declineCode: "stolen_card", message: "Your card was declined."))
        case "4000000000000069": return ("visa", .declines(code: "expired_card", declineCode: nil, message: "Your card has expired."))
        case "4000000000000127":
            return ("visa", .declines(code: "incorrect_cvc", declineCode: nil, message: "Your card's security code is incorrect."))
        case "4000000000000119":
            return ("visa", .declines(code: "processing_error", declineCode: nil, message: "An error occurred while processing your card."))
        case "4000000000000341":
            return ("visa", .declines(code: "card_declined", declineCode: "generic_decline", message: "Your card was declined."))
        case "4000002760003184", "4000002500003155": return ("visa", .needsAuthentication)
        default: return nil
        }
    }

    /// Bank accounts (routing 110000000): what the debit does when the bank answers.
    enum BankOutcome: Equatable {
        case succeeds
        case fails(code: String, message: String)
    }

    static func bank(_ accountNumber: String) -> BankOutcome? {
        switch accountNumber {
        case "000123456789": return .succeeds
        case "000111111113": return .fails(code: "account_closed", message: "The customer's bank account has been closed.")
        case "000111111116": return .fails(code: "no_account", message: "The customer's bank account could not be located.")
        case "000222222227":
            return .fails(code: "insufficient_funds", message: "The customer's account has insufficient funds to cover this payment.")
        case "000333333335":
            return .fails(code: "debit_not_authorized", message: "The customer has notified their bank that this payment was unauthorized.")
        default: return nil
        }
    }
}

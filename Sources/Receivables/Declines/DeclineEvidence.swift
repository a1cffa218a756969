/// What posplus knows about one refused payment, in the shape its source reports it.
///
/// Plain text in, so the ledger's rows can be classified without importing a driver or a
/// gateway: the wiring copies the stored fields into one of these cases.
public enum DeclineEvidence: Equatable, Sendable {
    /// A counter terminal's answer as the ledger keeps it: the attempt's `resultCode` (the
    /// POSLink result code, poslink.md §1.9: `000100` is a host decline) and the payment's
    /// `message` (`resultText: host message`, e.g. `DECLINE: INSUFFICIENT FUNDS`).
    ///
    /// `hostCode` is the issuer's ISO 8583 response code (`51`, `05`, `41`…), stored with the
    /// attempt; attempts recorded before it was kept have none, so it is optional. When present
    /// it wins over the words.
    case terminal(resultCode: String?, message: String?, hostCode: String? = nil)
    /// A Stripe card decline (stripe.md §1.11): `decline_code` when Stripe gave one, else `code`
    /// (`card_declined`, `expired_card`, `incorrect_cvc`, `authentication_required`…).
    case card(code: String?, declineCode: String?, via: CardChannel)
    /// An ACH debit that failed or was returned: a NACHA return code (`R01`) or Stripe's own
    /// failure code for it (`insufficient_funds`, `account_closed`, `debit_not_authorized`…).
    case bankReturn(code: String)

    /// Where a card decline happened: it decides whether there is a card to try again.
    public enum CardChannel: String, Equatable, Sendable {
        /// An off-session charge of a card on file: the only case posplus can retry itself.
        case savedCard
        /// The customer typed the card into a payment link's page.
        case link
    }

    /// A card on file posplus could charge again without the customer. (A returned R01 ACH
    /// debit may by NACHA rules be presented again too; that is not wired yet, so a bank return
    /// gets a link like any other decline without a saved card.)
    public var isRetryable: Bool {
        if case .card(_, _, .savedCard) = self { return true }
        return false
    }
}

/// What staff (or a technician's link) asked posplus to do with money.
///
/// Stored as its raw text in the ledger. Every operation, whatever the device or gateway that
/// carries it out, goes through the same payment path and the same ``Payment`` state machine.
public enum PaymentOperation: String, Codable, Sendable, CaseIterable {
    /// Card present on the terminal: tap, insert or swipe.
    case sale
    /// The card number is keyed on the terminal's own keypad (MOTO); it never reaches posplus.
    case keyedSale
    /// A bank debit (keyed ACH on the terminal, or `us_bank_account` at the gateway).
    /// Stays pending until the money settles, and can be returned afterwards.
    case achDebit
    /// Cancels an approved, unsettled payment in full.
    case void
    /// Gives money back on an earlier payment, in full or in part, possibly several times.
    case refund
    /// Saves a card on file (a processor token), charging nothing.
    case tokenize
    /// Charges a card saved on file.
    case tokenSale
    /// A partial payment taken up front on an invoice or a quote.
    case deposit

    /// Whether the operation moves money from the customer to the business.
    public var collectsMoney: Bool {
        switch self {
        case .sale, .keyedSale, .achDebit, .tokenSale, .deposit: return true
        case .void, .refund, .tokenize: return false
        }
    }

    /// Whether it acts on an earlier payment (and so needs that payment's reference).
    public var referencesOriginal: Bool { self == .void || self == .refund }

    /// How the money moves: card rails or bank (ACH) rails, which settle differently.
    public var rail: PaymentRail { self == .achDebit ? .ach : .card }

    /// Words for receipts and listings.
    public var displayName: String {
        switch self {
        case .sale: return "Sale"
        case .keyedSale: return "Keyed sale"
        case .achDebit: return "ACH debit"
        case .void: return "Void"
        case .refund: return "Refund"
        case .tokenize: return "Save card"
        case .tokenSale: return "Card-on-file sale"
        case .deposit: return "Deposit"
        }
    }
}

/// The network a payment travels on. Card payments are final when approved (until refunded);
/// ACH payments are provisional until they settle and may be returned even after that.
public enum PaymentRail: String, Codable, Sendable {
    case card
    case ach
}

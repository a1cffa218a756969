/// Whether trying the same card (or bank account) again can work.
///
/// A **soft** decline is about now: the money is not there yet, the issuer could not be reached,
/// it said no without saying why. A later try of the same card may succeed. A **hard** decline is
/// about the card itself: lost, stolen, expired, closed, not the customer's to use. Trying it
/// again only costs fees and the customer's trust, so the customer is asked to pay another way.
public enum DeclineSeverity: String, Equatable, Sendable, Codable {
    case soft
    case hard
    /// Neither: the money may already have been taken (a terminal's "duplicate transaction").
    /// Retrying or sending a link could charge the customer twice, so nothing is asked of the
    /// customer until a person has checked the terminal's and the ledger's recent payments.
    case checkFirst
}

/// Why a payment was refused, in the few groups the recovery rules act on.
///
/// Every processor's code (POSLink host text, ISO 8583 host codes, Stripe decline codes, ACH
/// return codes) lands on one of these, so the rules and the words a manager reads are written
/// once, not per source.
public enum DeclineReason: String, CaseIterable, Equatable, Sendable, Codable {
    // Soft: the same card may work later.
    case insufficientFunds
    case withdrawalLimit
    case issuerUnavailable
    case doNotHonor
    case processingError
    case tryAgainLater
    /// Nothing was refused by the bank: cancelled on the terminal, timed out, refused by the
    /// terminal itself. Asking again is fine; there is no card to retry.
    case notAttempted

    // Hard: never the same card again.
    case lostOrStolen
    case expired
    case invalidAccount
    case incorrectDetails
    case authenticationRequired
    case fraud
    case accountClosed
    case notAuthorized
    case notAllowed
    /// A code posplus has no entry for. Hard, on purpose: see ``DeclineClassifier``.
    case unknown

    // Check first: not a refusal of the card at all.
    /// The terminal matched an earlier transaction with the same reference (POSLink 100011) and
    /// answered with that one's data: the payment may already be made.
    case possibleDuplicate

    public var severity: DeclineSeverity {
        switch self {
        case .insufficientFunds, .withdrawalLimit, .issuerUnavailable, .doNotHonor, .processingError, .tryAgainLater,
            .notAttempted:
            return .soft
        case .lostOrStolen, .expired, .invalidAccount, .incorrectDetails, .authenticationRequired, .fraud, .accountClosed,
            .notAuthorized, .notAllowed, .unknown:
            return .hard
        case .possibleDuplicate:
            return .checkFirst
        }
    }

    /// The reason in words a manager reads on a proposal.
    public var plainWords: String {
        switch self {
        case .insufficientFunds: return "not enough money in the account right now"
        case .withdrawalLimit: return "the card's spending or withdrawal limit was reached for now"
        case .issuerUnavailable: return "the card's bank could not be reached"
        case .doNotHonor: return "the bank declined without giving a reason"
        case .processingError: return "an error while the payment was being processed"
        case .tryAgainLater: return "the bank asked to try again later"
        case .notAttempted: return "the card was not refused by the bank (cancelled, timed out or refused by the terminal)"
        case .lostOrStolen: return "the card was reported lost or stolen"
        case .expired: return "the card has expired"
        case .invalidAccount: return "the card or account number is not valid"
        case .incorrectDetails: return "the security code or postal code did not match"
        case .authenticationRequired: return "the bank wants the customer to approve the payment themselves"
        case .fraud: return "the bank suspects fraud"
        case .accountClosed: return "the account is closed"
        case .notAuthorized: return "the customer did not authorise this debit, or took the authorisation back"
        case .notAllowed: return "the card or account does not allow this kind of payment"
        case .unknown: return "a code posplus does not know"
        case .possibleDuplicate:
            return "the terminal matched an earlier payment with the same reference, so the money may already have been taken"
        }
    }
}

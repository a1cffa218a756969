import Foundation

/// Classifies every decline posplus can see into soft or hard, with the reason in words.
///
/// **Unknown codes are hard.** A code no table knows might mean "stolen card" as easily as
/// "try tomorrow"; charging a stolen card again risks a network fine and a customer's trust,
/// while treating a soft decline as hard only costs one link the customer can pay. So the
/// default never retries the same card, and the explanation says the code was unknown so the
/// table can be extended.
///
/// Sources: POSLink result codes (poslink.md §1.9), ISO 8583 host response codes as processors
/// send them, Stripe decline codes (stripe.md §1.11, stripe.com/docs/declines/codes), NACHA
/// return codes and Stripe's ACH failure codes (stripe.md §1.4; its exact mapping is
/// unconfirmed there, so both spellings are listed).
public enum DeclineClassifier {
    public static func classify(_ evidence: DeclineEvidence) -> DeclineClassification {
        switch evidence {
        case .terminal(let resultCode, let message, let hostCode):
            return terminal(resultCode: resultCode, message: message, hostCode: hostCode)
        case .card(let code, let declineCode, let channel):
            let seen = declineCode ?? code ?? ""
            let source = channel == .savedCard ? "Stripe (saved card)" : "Stripe (payment link)"
            // Stripe puts the specific reason in decline_code; `card_declined` in code says only
            // that it was a decline. So a decline_code decides alone (an unknown one stays
            // unknown, not "generic"), and code counts only when there is no decline_code.
            let reason = (declineCode ?? code).flatMap { stripeCodes[$0.lowercased()] }
            return DeclineClassification(reason: reason ?? .unknown, evidence: seen, source: source)
        case .bankReturn(let code):
            let key = code.trimmingCharacters(in: .whitespaces)
            return DeclineClassification(
                reason: achReturns[key.uppercased()] ?? achReturns[key.lowercased()] ?? .unknown, evidence: key,
                source: "the bank (ACH return)")
        }
    }

    // MARK: Terminal

    static func terminal(resultCode: String?, message: String?, hostCode: String?) -> DeclineClassification {
        let words = (message ?? "").trimmingCharacters(in: .whitespaces)
        let evidence = [resultCode, words.isEmpty ? nil : words, hostCode.map { "host code \($0)" }]
            .compactMap { $0 }.joined(separator: " ")
        func classified(_ reason: DeclineReason) -> DeclineClassification {
            DeclineClassification(reason: reason, evidence: evidence, source: "the terminal")
        }
        // A duplicate answer carries the *original's* host code (often 00, approved), so it is
        // read before the host code: the host never saw this request.
        if resultCode == "100011" { return classified(.possibleDuplicate) }
        if let hostCode, let reason = isoHostCodes[hostCode.uppercased()] { return classified(reason) }
        switch resultCode {
        case "100015", "100016": return classified(.incorrectDetails)
        // Timeout, cancelled, refused by the terminal itself: the bank never said no.
        case "100001", "100002", "100003", "100004", "100005", "100018", "100022", "100027", "100503":
            return classified(.notAttempted)
        case "000100", nil: return classified(terminalWords(words))
        default: return classified(.unknown)
        }
    }

    /// The host's words as the terminal passes them on (`DECLINE: INSUFFICIENT FUNDS`). Checked
    /// in order: a specific reason before the generic "DECLINE" that prefixes them all.
    static func terminalWords(_ message: String) -> DeclineReason {
        let text = message.uppercased()
        for (needles, reason) in terminalPhrases where needles.contains(where: text.contains) { return reason }
        // A bare DECLINE is the generic "do not honor": the issuer gave no reason.
        let bare = text.replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespaces)
        return bare == "DECLINE" || bare == "DECLINED" ? .doNotHonor : .unknown
    }

    static let terminalPhrases: [([String], DeclineReason)] = [
        (["CANCELLED AT THE TERMINAL", "ABORTED", "TIMEOUT"], .notAttempted),
        (["INSUF", "NSF", "NOT SUFFICIENT"], .insufficientFunds),
        (["LIMIT EXCEEDED", "EXCEEDS LIMIT", "EXCEEDS WITHDRAWAL", "OVER LIMIT"], .withdrawalLimit),
        (["LOST", "STOLEN", "PICK UP", "PICKUP"], .lostOrStolen),
        (["EXPIRED", "EXPD CARD", "EXP CARD"], .expired),
        (["INVALID CARD", "INVALID ACC", "INV ACCT", "NO SUCH", "INVALID NUMBER"], .invalidAccount),
        (["CVV", "CVD", "CVC", "AVS"], .incorrectDetails),
        (["FRAUD", "SECURITY VIOLATION"], .fraud),
        (["ISSUER UNAVAIL", "ISSUER NOT AVAIL", "ISSUER INOP", "NO REPLY", "HOST UNAVAIL"], .issuerUnavailable),
        (["TRY AGAIN", "RETRY", "RE-ENTER", "REENTER"], .tryAgainLater),
        (["SYSTEM ERROR", "PROCESSING ERR", "MALFUNCTION"], .processingError),
        (["NOT PERMITTED", "NOT ALLOWED", "RESTRICTED"], .notAllowed),
        (["DO NOT HONOR", "DO NOT HONOUR", "GENERIC"], .doNotHonor),
    ]

    /// ISO 8583 response codes (field 39) as processors pass them through.
    static let isoHostCodes: [String: DeclineReason] = [
        "05": .doNotHonor, "51": .insufficientFunds, "61": .withdrawalLimit, "65": .withdrawalLimit,
        "91": .issuerUnavailable, "96": .processingError, "19": .tryAgainLater,
        "41": .lostOrStolen, "43": .lostOrStolen, "04": .lostOrStolen, "07": .fraud, "59": .fraud,
        "54": .expired, "14": .invalidAccount, "15": .invalidAccount, "N7": .incorrectDetails, "82": .incorrectDetails,
        "57": .notAllowed, "62": .notAllowed, "1A": .authenticationRequired,
    ]

    // MARK: Stripe

    static let stripeCodes: [String: DeclineReason] = [
        "insufficient_funds": .insufficientFunds,
        "card_velocity_exceeded": .withdrawalLimit, "withdrawal_count_limit_exceeded": .withdrawalLimit,
        "issuer_not_available": .issuerUnavailable,
        // Stripe's generic answers: the issuer said no without a reason.
        "do_not_honor": .doNotHonor, "generic_decline": .doNotHonor, "card_declined": .doNotHonor, "call_issuer": .doNotHonor,
        "no_action_taken": .doNotHonor,
        "processing_error": .processingError,
        "try_again_later": .tryAgainLater, "reenter_transaction": .tryAgainLater, "approve_with_id": .tryAgainLater,
        "lost_card": .lostOrStolen, "stolen_card": .lostOrStolen, "pickup_card": .lostOrStolen,
        "expired_card": .expired,
        "invalid_number": .invalidAccount, "incorrect_number": .invalidAccount, "invalid_account": .invalidAccount,
        "new_account_information_available": .invalidAccount,
        "incorrect_cvc": .incorrectDetails, "invalid_cvc": .incorrectDetails, "incorrect_zip": .incorrectDetails,
        "authentication_required": .authenticationRequired,
        "fraudulent": .fraud, "merchant_blacklist": .fraud, "security_violation": .fraud,
        "stop_payment_order": .notAuthorized, "revocation_of_authorization": .notAuthorized,
        "revocation_of_all_authorizations": .notAuthorized,
        "restricted_card": .notAllowed, "transaction_not_allowed": .notAllowed, "card_not_supported": .notAllowed,
        "currency_not_supported": .notAllowed,
    ]

    // MARK: ACH

    /// NACHA return codes and Stripe's names for them. R01 and R09 are the only soft ones:
    /// money may arrive, and NACHA allows a returned R01/R09 entry to be presented again.
    static let achReturns: [String: DeclineReason] = [
        "R01": .insufficientFunds, "R09": .insufficientFunds,
        "R02": .accountClosed, "R03": .invalidAccount, "R04": .invalidAccount, "R20": .notAllowed,
        "R05": .notAuthorized, "R07": .notAuthorized, "R08": .notAuthorized, "R10": .notAuthorized, "R29": .notAuthorized,
        "R16": .accountClosed,
        "insufficient_funds": .insufficientFunds, "account_closed": .accountClosed, "no_account": .invalidAccount,
        "invalid_account_number": .invalidAccount, "debit_not_authorized": .notAuthorized,
        "bank_account_restricted": .notAllowed, "account_frozen": .accountClosed,
    ]
}

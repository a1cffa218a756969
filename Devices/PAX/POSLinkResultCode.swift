import PosPlusCore
import Terminal

/// POSLink result codes (poslink.md §1.9) mapped onto the brand-free ``TerminalOutcome``.
///
/// The rule for anything uncertain: if the terminal might have reached the host and the
/// money might have moved, the outcome is `unknown` (look it up), never declined.
public enum POSLinkResultCode {
    public static func outcome(code: String, text: String, hostCode: String, amountDue: Money?, currency: Currency = .usd)
        -> TerminalOutcome
    {
        switch code {
        case "000000", "000001", "000003":
            return .approved
        case "000002":
            return .partiallyApproved(amountDue: amountDue ?? .zero(currency))
        case "000100":
            return .declined(declineKind(hostCode: hostCode, text: text))
        case "100015", "100016":
            return .declined(.cvvOrAvs)
        case "100002":
            return .aborted
        case "100011":
            return .duplicate
        case "100001":
            return .rejected("The terminal timed out waiting for the card.")
        case "100003":
            return .rejected("The terminal refused the request as badly formed (\(text)).")
        case "100004", "100005", "100027":
            return .rejected("The terminal does not support this transaction (\(text)).")
        case "100008":
            return .rejected("The terminal could not send to the processor (\(text)).")
        case "100503":
            return .rejected("The terminal's PIN pad is busy.")
        case "100021":
            return .rejected("Already voided or completed on the terminal.")
        case "100025":
            return .rejected("The terminal asks for the batch to be settled first.")
        case "000200", "000300", "100006", "100018", "100022", "100023", "100024", "100028", "100029", "100100", "100101":
            return .rejected("The terminal refused the request: \(text) (\(code)).")
        case "100009", "100010":
            return .unknown(reason: "The terminal lost contact with the processor (\(text)); the charge may have gone through.")
        default:
            return .unknown(reason: "The terminal answered with result code \(code) (\(text)), which posplus does not know.")
        }
    }

    /// Host codes worth telling apart (ISO 8583 style, as processors send them).
    static func declineKind(hostCode: String, text: String) -> DeclineKind {
        switch hostCode {
        case "14", "15": return .invalidCard
        case "N7", "82": return .cvvOrAvs
        case "": return text.uppercased().contains("INVALID CARD") ? .invalidCard : .other
        default: return .host(hostCode: hostCode)
        }
    }
}

/// Where a payment is in its life. Stored as raw text; the ledger's schema lists the same values.
///
/// ```
/// intended ──send──▶ sent ──▶ approved | partiallyApproved | declined | unknown | pending(ACH)
///    │
///    └──abandon──▶ abandoned
/// sent, unknown ──lookup──▶ approved | partiallyApproved | declined | pending
///                           | intended (not found: retry under a new reference)
/// approved, partiallyApproved ──▶ voided | partiallyRefunded | refunded | settled
/// settled, partiallyRefunded  ──▶ partiallyRefunded | refunded     (refunds up to captured)
/// pending (ACH) ──▶ settled | returned;   settled (ACH) ──▶ returned
/// ```
public enum PaymentState: String, Codable, Sendable, CaseIterable {
    /// Recorded durably before anything is sent. Safe to send, or to abandon.
    case intended
    /// Handed to the terminal or gateway; the answer has not been recorded yet.
    case sent
    /// Sent, and the answer was lost (timeout, disconnect, crash). Never treated as failed:
    /// Recovery looks it up by reference before the invoice can be charged again.
    case unknown
    /// Accepted but not final (ACH in flight).
    case pending
    case approved
    /// The card covered only part of the amount; the rest is still due.
    case partiallyApproved
    case declined
    /// Never reached a processor; nothing was charged.
    case abandoned
    case voided
    case partiallyRefunded
    case refunded
    /// The processor has settled the funds (batch closed, ACH cleared).
    case settled
    /// An ACH debit came back from the bank after it looked paid.
    case returned

    /// No event can move a payment out of these states.
    public var isFinal: Bool {
        switch self {
        case .declined, .abandoned, .voided, .refunded, .returned: return true
        default: return false
        }
    }

    /// The outcome is not known yet: the invoice must not be charged again until it is.
    public var isInDoubt: Bool { self == .sent || self == .unknown }

    /// Money was captured and (so far) kept.
    public var holdsCapturedFunds: Bool {
        switch self {
        case .approved, .partiallyApproved, .partiallyRefunded, .settled: return true
        default: return false
        }
    }
}

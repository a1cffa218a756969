import Foundation
import PosPlusCore

/// One record of a terminal's open batch, as the terminal's own log holds it.
///
/// Reconciliation compares these with the ledger, so the shape is the terminal's view, not
/// ours: a record posplus never asked for (a sale rung up on the keypad) still appears, with no
/// reference; a declined attempt appears with `approved == false`; a void is a record of its
/// own and also marks its original `voided`. Card data is brand and last four at most: a
/// driver cuts whatever the terminal reports down to ``MaskedCard`` before building one.
public struct TerminalBatchRecord: Equatable, Sendable {
    /// What the record did, in the payment path's words (``TerminalRequest/Kind``) where the
    /// terminal's log can tell them apart. A keyed sale, a deposit and a card-on-file sale are
    /// all `sale` here: the log does not say how the card was presented or why.
    public enum Kind: Equatable, Sendable {
        case sale
        /// A PIN debit sale.
        case debitSale
        /// A bank debit keyed on the terminal (check / ACH).
        case achDebit
        case refund
        case void
        case authorize
        case capture
        case verifyCard
        case tokenize
        /// A type posplus never sends (a gift load, a forced sale): the terminal's own code,
        /// kept so a person can look it up rather than it being dropped from the list.
        case other(String)
    }

    /// The terminal's own number for the record: what a void or refund of it names.
    public var terminalRecordNumber: String
    /// Our reference, when the record carries one posplus could have issued; nil for a
    /// transaction started on the terminal itself.
    public var reference: PaymentReference?
    public var kind: Kind
    /// Whether the host approved it (in full or in part).
    public var approved: Bool
    /// What moved: zero when not approved; for a partial approval, less than was asked.
    public var approvedAmount: Money
    /// What a partial approval left unpaid, when the terminal reports it.
    public var amountDue: Money?
    /// Voided later in the same batch: the money it moved goes back before settlement.
    public var voided: Bool
    /// When the terminal stamped the record, if it gives a time.
    public var recordedAt: Date?
    /// Brand and last four only.
    public var card: MaskedCard?
    public var authCode: String?
    /// The processor's reference, which a processor report carries too.
    public var hostReference: String?
    /// The terminal's or host's result code for the record ("000000", "000002").
    public var resultCode: String

    public init(
        terminalRecordNumber: String, reference: PaymentReference?, kind: Kind, approved: Bool, approvedAmount: Money,
        amountDue: Money? = nil, voided: Bool = false, recordedAt: Date? = nil, card: MaskedCard? = nil, authCode: String? = nil,
        hostReference: String? = nil, resultCode: String
    ) {
        self.terminalRecordNumber = terminalRecordNumber
        self.reference = reference
        self.kind = kind
        self.approved = approved
        self.approvedAmount = approvedAmount
        self.amountDue = amountDue
        self.voided = voided
        self.recordedAt = recordedAt
        self.card = card
        self.authCode = authCode
        self.hostReference = hostReference
        self.resultCode = resultCode
    }
}

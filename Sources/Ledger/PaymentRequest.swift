import Foundation
import PosPlusCore

/// What a caller asks the ledger to begin: the durable intent of step 4 of the payment path.
///
/// Two requests with the same idempotency key must be the same request; ``fingerprint``
/// decides what "the same" means: every field that changes what money moves, and nothing
/// else (not the operator, not the time).
public struct PaymentRequest: Equatable, Sendable {
    public var operation: PaymentOperation
    public var amount: Money
    public var intent: ProposedCharge.Intent
    public var invoiceID: String?
    public var invoiceNumber: String?
    public var quoteID: String?
    public var clientID: String?
    /// For a void or refund: the payment it acts on.
    public var originalPaymentID: Int64?
    /// The terminal name or gateway that will carry it out.
    public var channel: String
    /// The saved card or bank account charged (a card-on-file sale, a bank debit). Not part of
    /// the fingerprint: the same key with the same money is the same request, and the ledger
    /// already refuses another card under it through the saved-card check before sending.
    public var savedCardID: Int64?

    public init(
        operation: PaymentOperation, amount: Money, intent: ProposedCharge.Intent = .fullBalance,
        invoiceID: String? = nil, invoiceNumber: String? = nil, quoteID: String? = nil, clientID: String? = nil,
        originalPaymentID: Int64? = nil, channel: String, savedCardID: Int64? = nil
    ) {
        self.operation = operation
        self.amount = amount
        self.intent = intent
        self.invoiceID = invoiceID
        self.invoiceNumber = invoiceNumber
        self.quoteID = quoteID
        self.clientID = clientID
        self.originalPaymentID = originalPaymentID
        self.channel = channel
        self.savedCardID = savedCardID
    }

    /// SHA-256 (hex) of the money-relevant fields, each length-prefixed.
    public var fingerprint: String {
        CanonicalHash.sha256Hex([
            operation.rawValue, amount.currency.code, String(amount.minorUnits), intent.rawValue,
            invoiceID ?? "", invoiceNumber ?? "", quoteID ?? "", clientID ?? "",
            originalPaymentID.map(String.init) ?? "", channel,
        ])
    }
}

/// What ``Ledger/begin(_:idempotencyKey:operator:)`` did.
public enum BeginOutcome: Equatable, Sendable {
    /// A new payment was recorded.
    case created(PaymentRecord)
    /// The key was seen before with the same request: this is that payment, as it stands now.
    case existing(PaymentRecord)

    public var payment: PaymentRecord {
        switch self {
        case .created(let payment), .existing(let payment): return payment
        }
    }
}

/// What the terminal or gateway answered for one attempt, as the ledger records it.
public enum AttemptResult: Equatable, Sendable {
    case approved(AttemptDetails)
    case partiallyApproved(AttemptDetails)
    case declined(AttemptDetails)
    /// ACH accepted, provisional.
    case pending(AttemptDetails)
    /// Sent, answer lost: Recovery must look it up by reference.
    case unknown(reason: String)
    /// A lookup proved the processor never saw it: the payment may be tried again.
    case notFound
}

/// The facts of an answer. `captured` is what the processor took (for a refund: gave back).
public struct AttemptDetails: Equatable, Sendable {
    public var captured: Money?
    public var resultCode: String?
    public var message: String?
    public var authCode: String?
    public var processorReference: String?
    /// The terminal's own number for the transaction (what a void or refund of it quotes).
    public var deviceRecordNumber: String?
    public var card: MaskedCard?
    /// How the card was read and the chip's answers, kept for the receipt.
    public var cardReading: CardReading?
    /// The machine codes behind a decline, so the class and reason can be read back later.
    public var codes: DeclineCodes

    public init(
        captured: Money? = nil, resultCode: String? = nil, message: String? = nil, authCode: String? = nil,
        processorReference: String? = nil, deviceRecordNumber: String? = nil, card: MaskedCard? = nil, cardReading: CardReading? = nil,
        codes: DeclineCodes = DeclineCodes()
    ) {
        self.captured = captured
        self.resultCode = resultCode
        self.message = message
        self.authCode = authCode
        self.processorReference = processorReference
        self.deviceRecordNumber = deviceRecordNumber
        self.card = card
        self.cardReading = cardReading
        self.codes = codes
    }
}

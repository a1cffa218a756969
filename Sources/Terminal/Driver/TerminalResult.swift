import PosPlusCore

/// What a terminal answered, in one shape for every terminal family.
///
/// A decline is a result, not an error. `unknown` is a real outcome: the terminal accepted the
/// request and the answer was lost; the payment path looks the reference up instead of
/// guessing. Errors are thrown only when the request provably never reached the terminal.
public struct TerminalResult: Equatable, Sendable {
    public var outcome: TerminalOutcome
    /// What was charged (or refunded); for a partial approval, less than asked.
    public var approvedAmount: Money?
    public var card: MaskedCard?
    public var entryMode: EntryMode?
    public var authCode: String?
    /// The processor's reference, needed to void or refund later.
    public var hostReference: String?
    /// The terminal's own record number, needed to void later.
    public var terminalRecordNumber: String?
    /// A card-on-file token, when one was asked for.
    public var token: String?
    /// The card's expiry, when the terminal reports it (needed to keep a card on file).
    public var cardExpiry: CardExpiry?
    /// How the card was read and the chip's application and verification results, for the
    /// receipt (never card data).
    public var cardReading: CardReading?
    /// The terminal's or host's result code, kept for the record ("000000", "100011").
    public var resultCode: String
    /// The card host's own response code (ISO 8583 style: `00`, `05`, `51`), when the terminal
    /// passes it on. It says why a decline happened when the words differ by model and processor.
    public var hostCode: String?
    /// One sentence staff can read.
    public var message: String
    /// Our reference, as the terminal echoed it.
    public var reference: PaymentReference?

    public init(
        outcome: TerminalOutcome, approvedAmount: Money? = nil, card: MaskedCard? = nil, entryMode: EntryMode? = nil,
        authCode: String? = nil, hostReference: String? = nil, terminalRecordNumber: String? = nil, token: String? = nil,
        resultCode: String, message: String, reference: PaymentReference? = nil
    ) {
        self.outcome = outcome
        self.approvedAmount = approvedAmount
        self.card = card
        self.entryMode = entryMode
        self.authCode = authCode
        self.hostReference = hostReference
        self.terminalRecordNumber = terminalRecordNumber
        self.token = token
        self.cardExpiry = nil
        self.cardReading = nil
        self.hostCode = nil
        self.resultCode = resultCode
        self.message = message
        self.reference = reference
    }

    /// A transaction to void or refund later, from this result.
    public var original: OriginalTransaction {
        OriginalTransaction(
            terminalRecordNumber: terminalRecordNumber, hostReference: hostReference, authCode: authCode, reference: reference)
    }
}

/// How a terminal request ended.
public enum TerminalOutcome: Equatable, Sendable {
    case approved
    /// The card covered only part; `amountDue` is still owed.
    case partiallyApproved(amountDue: Money)
    /// The host or terminal declined (the money did not move).
    case declined(DeclineKind)
    /// Cancelled on the terminal by staff or the customer, or by a cancel request.
    case aborted
    /// The terminal matched an earlier transaction with the same reference and returned its
    /// data instead of charging again. Surfaced for a person to decide; never overridden.
    case duplicate
    /// The terminal refused the request itself (format error, unsupported, busy, batch full):
    /// nothing was charged.
    case rejected(String)
    /// Accepted by the terminal, answer lost. Look it up by reference; never retry blindly.
    case unknown(reason: String)

    /// Money moved (in full or in part).
    public var moneyMoved: Bool {
        switch self {
        case .approved, .partiallyApproved: return true
        default: return false
        }
    }
}

/// Why a card was declined, as far as the terminal says.
public enum DeclineKind: Equatable, Sendable {
    /// The issuer or processor said no (`hostCode` is theirs).
    case host(hostCode: String)
    case invalidCard
    case cvvOrAvs
    case other
}

/// How the card was read.
public enum EntryMode: String, Equatable, Sendable, Codable {
    case keyed, swiped, contactless, scanned, chip, chipFallbackToSwipe
}

/// The answer to "what happened to this reference?" (an in-doubt lookup).
public enum TerminalLookup: Equatable, Sendable {
    case found(TerminalResult)
    /// The terminal has no record: it never processed the request; a retry with a new
    /// reference is safe.
    case notFound
}

/// What the terminal reports about itself.
public struct TerminalStatus: Equatable, Sendable {
    public var serialNumber: String
    public var model: String?
    public var softwareVersion: String?
    public var message: String

    public init(serialNumber: String, model: String? = nil, softwareVersion: String? = nil, message: String) {
        self.serialNumber = serialNumber
        self.model = model
        self.softwareVersion = softwareVersion
        self.message = message
    }
}

/// Totals of a closed batch.
public struct BatchSummary: Equatable, Sendable {
    public var count: Int
    public var total: Money
    public var message: String

    public init(count: Int, total: Money, message: String) {
        self.count = count
        self.total = total
        self.message = message
    }
}

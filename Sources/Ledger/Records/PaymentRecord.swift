import Foundation
import GRDB
import PosPlusCore

/// One row of `payment`: a customer's intent to move money, and where it stands.
///
/// Plain data. The state only changes through ``Ledger`` methods, which run the
/// ``PosPlusCore/Payment`` state machine inside the transaction that writes the row.
///
/// A record is a row that exists, so its id is never nil: a new payment is written by
/// ``insertIntent(_:idempotencyKey:state:operator:at:in:)``, which returns the row it wrote.
public struct PaymentRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "payment"

    public var id: Int64
    public var idempotencyKey: String
    /// SHA-256 of the request's canonical form: a reused key with other details is refused.
    public var requestFingerprint: String
    public var operation: PaymentOperation
    public var state: PaymentState
    public var currency: Currency
    public var requestedMinor: Int64
    public var capturedMinor: Int64
    public var refundedMinor: Int64
    public var intent: ProposedCharge.Intent
    public var invoiceID: String?
    public var invoiceNumber: String?
    public var quoteID: String?
    public var clientID: String?
    /// For a void or refund: the payment it acts on.
    public var originalPaymentID: Int64?
    /// The terminal name or gateway that carries it out.
    public var channel: String
    /// Who asked: a staff member, a technician, or a system actor such as `recovery`.
    public var `operator`: String
    public var cardBrand: String?
    public var cardLast4: String?
    public var authCode: String?
    public var processorReference: String?
    /// The last human-readable answer (decline reason, partial approval note).
    public var message: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// When the terminal's batch holding this payment was closed (nil: still in the open batch).
    public var batchClosedAt: Date? = nil
    /// The Jobber payment record that already counts this money in the invoice's balance (one
    /// the office typed in, or one posplus wrote), once reconcile has recognised it: Jobber's
    /// balance then no longer lags behind this payment, so it is not subtracted again.
    public var jobberRecordID: String? = nil
    /// How the card was read (`chip`, `contactless`, …) and the chip's application label, AID,
    /// TVR and TSI, as the terminal answered: what a receipt prints. Not card data.
    public var entryMode: String? = nil
    public var emvApplicationLabel: String? = nil
    public var emvApplicationID: String? = nil
    public var emvTVR: String? = nil
    public var emvTSI: String? = nil
    /// The saved card (or bank account) a card-on-file sale or bank debit charged: what a
    /// decline's recovery charges again, and nothing else of the client's cards.
    public var savedCardID: Int64? = nil

    /// The card reading as one value, when anything of it is known.
    public var cardReading: CardReading? {
        let reading = CardReading(
            entryMode: entryMode, applicationLabel: emvApplicationLabel, applicationID: emvApplicationID,
            terminalVerificationResults: emvTVR, transactionStatusInformation: emvTSI)
        return reading.isEmpty ? nil : reading
    }

    /// The amounts and state as the domain sees them.
    public var payment: Payment {
        Payment(restoring: operation, requested: requested, state: state, captured: captured, refunded: refunded)
    }

    /// What staff asked for, as money.
    public var requested: Money { Money(minorUnits: requestedMinor, currency: currency) }

    /// What the processor took, as money.
    public var captured: Money { Money(minorUnits: capturedMinor, currency: currency) }

    /// What has been given back so far, as money.
    public var refunded: Money { Money(minorUnits: refundedMinor, currency: currency) }

    /// The card as receipts show it, when one is known.
    public var maskedCard: String? {
        guard let cardBrand, let cardLast4 else { return nil }
        return "\(cardBrand) •••• \(cardLast4)"
    }

    /// Inserts a new intent with a cached statement, and returns the row as written: the hot path
    /// of every payment, where building the INSERT through the record layer each time cost more
    /// than the fsync. Nothing is read back: the record returned is these values and the id SQLite
    /// assigned.
    static func insertIntent(
        _ request: PaymentRequest, idempotencyKey: String, state: PaymentState, operator actor: String, at time: Date,
        in db: Database
    ) throws -> PaymentRecord {
        let fingerprint = request.fingerprint  // a SHA-256: computed once
        try db.cachedStatement(
            sql: """
                INSERT INTO payment (idempotencyKey, requestFingerprint, operation, state, currency, requestedMinor, capturedMinor,
                  refundedMinor, intent, invoiceID, invoiceNumber, quoteID, clientID, originalPaymentID, channel, operator,
                  createdAt, updatedAt, savedCardID)
                VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            idempotencyKey, fingerprint, request.operation.rawValue, state.rawValue, request.amount.currency.code,
            request.amount.minorUnits, request.intent.rawValue, request.invoiceID, request.invoiceNumber, request.quoteID,
            request.clientID, request.originalPaymentID, request.channel, actor, DatabaseTime.text(time), DatabaseTime.text(time),
            request.savedCardID,
        ])
        return PaymentRecord(
            id: db.lastInsertedRowID, idempotencyKey: idempotencyKey, requestFingerprint: fingerprint,
            operation: request.operation, state: state, currency: request.amount.currency, requestedMinor: request.amount.minorUnits,
            capturedMinor: 0, refundedMinor: 0, intent: request.intent, invoiceID: request.invoiceID,
            invoiceNumber: request.invoiceNumber, quoteID: request.quoteID, clientID: request.clientID,
            originalPaymentID: request.originalPaymentID, channel: request.channel, operator: actor, cardBrand: nil, cardLast4: nil,
            authCode: nil, processorReference: nil, message: nil, createdAt: time, updatedAt: time, savedCardID: request.savedCardID)
    }

    /// Keeps what the terminal said about reading the card; a later answer without it (a
    /// lookup's report) leaves what was kept.
    mutating func adopt(_ reading: CardReading) {
        entryMode = reading.entryMode ?? entryMode
        emvApplicationLabel = reading.applicationLabel ?? emvApplicationLabel
        emvApplicationID = reading.applicationID ?? emvApplicationID
        emvTVR = reading.terminalVerificationResults ?? emvTVR
        emvTSI = reading.transactionStatusInformation ?? emvTSI
    }

    /// Copies the domain value's state and amounts onto the row.
    mutating func adopt(_ payment: Payment, at time: Date) {
        state = payment.state
        capturedMinor = payment.captured.minorUnits
        refundedMinor = payment.refunded.minorUnits
        updatedAt = time
    }
}

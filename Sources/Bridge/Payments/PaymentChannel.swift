import Ledger
import PosPlusCore

/// Step 5 of the payment path: whatever carries a payment out — a counter terminal, or a
/// gateway. The payment service and Recovery speak only this, so neither names a brand.
///
/// Contract (the same one ``Terminal/TerminalDriver`` states for terminals):
/// - ``collect(_:)`` throws ``PaymentChannelError/notDelivered(_:)`` only when the request
///   provably never reached the device or processor; every answer, including "no answer",
///   is an ``Ledger/AttemptResult`` (`.unknown` when the money may have moved).
/// - ``lookup(_:)`` answers from the device's or processor's own records: a finished result,
///   or `.notFound` when it never saw the reference.
/// What a channel tells about the request the current task runs, while it runs: that the device
/// has taken it (a terminal now asks for the card). A task local, set by the payment path
/// around ``PaymentChannel/collect(_:)``, so channels that have nothing to tell ignore it.
///
/// The value is a struct, not a bare closure, for the reason ``TerminalProgressReport`` gives.
public enum ChannelProgress {
    @TaskLocal public static var onAccepted: Listener?

    /// Told once the device has taken the request.
    public struct Listener: Sendable {
        public let accepted: @Sendable () -> Void
        public init(_ accepted: @escaping @Sendable () -> Void) { self.accepted = accepted }
    }
}

public protocol PaymentChannel: Sendable {
    /// The name recorded on each payment (`payment.channel`), by which Recovery finds it again.
    var name: String { get }
    /// Asks for the money (or, for `tokenize`, saves the presented card and charges nothing).
    func collect(_ request: ChannelRequest) async throws(PaymentChannelError) -> ChannelAnswer
    /// What happened to an earlier request sent under `reference`.
    func lookup(_ reference: PaymentReference, operation: PaymentOperation) async throws(PaymentChannelError) -> ChannelAnswer
    /// Where this channel is, when its name alone cannot find it again (a terminal named by
    /// address): recorded on each attempt so Recovery can reach it. Nil for named channels.
    var endpoint: String? { get }
    /// How the Jobber note names the way `operation` was paid on this channel.
    func noteMethod(for operation: PaymentOperation) -> String
    /// Asks the device to stop the request it is working on (a terminal waiting for the card).
    /// A request, not a fact: the payment's own answer says whether it stopped in time.
    func cancelInProgress() async throws(PaymentChannelError)
}

extension PaymentChannel {
    public func cancelInProgress() async throws(PaymentChannelError) {
        throw .unsupported("\(name) has nothing waiting for a card to cancel; its requests answer at once.")
    }
}

extension PaymentChannel {
    public var endpoint: String? { nil }

    /// How the Jobber note names the way `operation` was paid: "sale at the counter".
    public func noteMethod(for operation: PaymentOperation) -> String {
        (operation.collectsMoney ? operation.displayName.lowercased() : "card") + " at the counter"
    }
}

/// A channel's answer: what the ledger records, and the saved card when a card was saved.
public struct ChannelAnswer: Equatable, Sendable {
    public var result: AttemptResult
    public var savedCard: SavedCard?

    public init(_ result: AttemptResult, savedCard: SavedCard? = nil) {
        self.result = result
        self.savedCard = savedCard
    }
}

/// A card saved with the processor: its token and what staff recognise it by — never the number.
public struct SavedCard: Equatable, Sendable {
    public var token: String
    public var card: MaskedCard
    public var expiry: CardExpiry

    public init(token: String, card: MaskedCard, expiry: CardExpiry) {
        self.token = token
        self.card = card
        self.expiry = expiry
    }
}

/// One request to a channel.
public struct ChannelRequest: Equatable, Sendable {
    public var operation: PaymentOperation
    public var amount: Money
    public var reference: PaymentReference
    /// Printed on the terminal's receipt and in the processor's records.
    public var invoiceNumber: String?
    /// For a void or refund: the approval it acts on.
    public var original: OriginalCharge?
    /// For a charge of a card on file: the processor's token.
    public var token: String?

    public init(
        operation: PaymentOperation, amount: Money, reference: PaymentReference, invoiceNumber: String?, original: OriginalCharge? = nil,
        token: String? = nil
    ) {
        self.operation = operation
        self.amount = amount
        self.reference = reference
        self.invoiceNumber = invoiceNumber
        self.original = original
        self.token = token
    }
}

/// The approval a void or refund acts on, as the ledger recorded it: every number a terminal
/// or processor may need to find it again.
public struct OriginalCharge: Equatable, Sendable {
    public var reference: PaymentReference
    public var processorReference: String?
    public var deviceRecordNumber: String?
    public var authCode: String?

    public init(reference: PaymentReference, processorReference: String?, deviceRecordNumber: String?, authCode: String?) {
        self.reference = reference
        self.processorReference = processorReference
        self.deviceRecordNumber = deviceRecordNumber
        self.authCode = authCode
    }
}

/// Why a channel could not be asked.
public enum PaymentChannelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Provably never reached the device or processor: nothing was charged.
    case notDelivered(String)
    /// This channel cannot do the operation (a terminal asked for a link, say).
    case unsupported(String)
    /// A lookup could not be made now (device offline); try again later.
    case unavailable(String)

    public var description: String {
        switch self {
        case .notDelivered(let reason): return "The request never reached the terminal or processor (\(reason)); nothing was charged."
        case .unsupported(let what): return what
        case .unavailable(let reason): return "Cannot ask right now: \(reason)"
        }
    }
}

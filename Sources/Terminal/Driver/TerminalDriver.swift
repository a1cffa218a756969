import PosPlusCore

/// The one seam between posplus and a family of counter terminals.
///
/// Everything above it (the supervisor, the payment service) speaks only these types, so a
/// second terminal family is a new conformance, not a change to the payment path.
///
/// Contract, which every conformance's tests check against a simulator:
/// - `perform` throws ``TerminalError/notDelivered(_:)`` only when the request provably
///   never reached the terminal (no connection, every copy refused). Retrying with the same
///   reference is then safe. A copy that went unanswered is not proof: that is `.unknown`.
/// - Once the terminal has accepted a request, a timeout or a broken link returns a
///   result whose outcome is `.unknown` — never an error, never "declined".
/// - `lookup` answers from the terminal's own transaction log.
public protocol TerminalDriver: TerminalOperations {
    /// Asks the terminal who it is; a cheap call that changes nothing (used as keepalive).
    func status() async throws -> TerminalStatus
    /// Returns the terminal to its idle screen.
    func reset() async throws
}

/// What the payment path asks of a terminal: a driver directly, or a ``TerminalSupervisor``
/// that keeps one transaction in flight per terminal (a second is refused as busy, never
/// queued behind a customer's card) and looks after the connection.
public protocol TerminalOperations: Sendable {
    /// Carries out one money request.
    func perform(_ request: TerminalRequest) async throws -> TerminalResult
    /// Asks the terminal to cancel what it is doing. A request, not a fact: the cancelled
    /// transaction's own answer (aborted, or approved if too late) is what counts.
    func cancel() async throws
    /// Finds what the terminal recorded for one of our references.
    func lookup(_ reference: PaymentReference) async throws -> TerminalLookup
    /// Closes the batch (settles the day's transactions).
    func closeBatch() async throws -> BatchSummary
    /// Every record of the open batch, oldest first: approved or not, voids and what they
    /// voided. Reconciliation needs the whole list (a lookup by reference cannot find what
    /// was rung up on the keypad). A closed batch's records are not listed. Throws
    /// ``TerminalError`` when the terminal's answers do not add up to one consistent list,
    /// rather than returning part of it.
    func batchRecords() async throws -> [TerminalBatchRecord]
}

extension TerminalDriver {
    public func sale(_ amount: Money, reference: PaymentReference, invoice: String? = nil, requestToken: Bool = false) async throws
        -> TerminalResult
    {
        try await perform(TerminalRequest(.sale(amount), reference: reference, invoiceNumber: invoice, requestToken: requestToken))
    }

    public func debitSale(_ amount: Money, reference: PaymentReference, invoice: String? = nil) async throws -> TerminalResult {
        try await perform(TerminalRequest(.debitSale(amount), reference: reference, invoiceNumber: invoice))
    }

    public func keyedSale(_ amount: Money, mode: TerminalRequest.MailOrTelephone, reference: PaymentReference, invoice: String? = nil)
        async throws -> TerminalResult
    {
        try await perform(TerminalRequest(.keyedSale(amount, mode), reference: reference, invoiceNumber: invoice))
    }

    public func achDebit(_ amount: Money, reference: PaymentReference, invoice: String? = nil) async throws -> TerminalResult {
        try await perform(TerminalRequest(.achDebit(amount), reference: reference, invoiceNumber: invoice))
    }

    public func void(_ original: OriginalTransaction, reference: PaymentReference) async throws -> TerminalResult {
        try await perform(TerminalRequest(.void(original), reference: reference))
    }

    public func refund(_ amount: Money, of original: OriginalTransaction, reference: PaymentReference) async throws -> TerminalResult {
        try await perform(TerminalRequest(.refund(amount, of: original), reference: reference))
    }

    public func authorize(_ amount: Money, reference: PaymentReference, invoice: String? = nil) async throws -> TerminalResult {
        try await perform(TerminalRequest(.authorize(amount), reference: reference, invoiceNumber: invoice))
    }

    public func capture(_ amount: Money, of authorization: OriginalTransaction, reference: PaymentReference) async throws -> TerminalResult
    {
        try await perform(TerminalRequest(.capture(amount, of: authorization), reference: reference))
    }

    public func verifyCard(reference: PaymentReference) async throws -> TerminalResult {
        try await perform(TerminalRequest(.verifyCard, reference: reference))
    }

    public func tokenize(reference: PaymentReference) async throws -> TerminalResult {
        try await perform(TerminalRequest(.tokenize, reference: reference))
    }

    public func tokenSale(_ amount: Money, token: String, reference: PaymentReference, invoice: String? = nil) async throws
        -> TerminalResult
    {
        try await perform(TerminalRequest(.tokenSale(amount, token: token), reference: reference, invoiceNumber: invoice))
    }

    public func deposit(_ amount: Money, reference: PaymentReference, invoice: String) async throws -> TerminalResult {
        try await perform(TerminalRequest(.deposit(amount), reference: reference, invoiceNumber: invoice))
    }
}

/// Why a terminal call failed outright. Each case says whether the request could have
/// reached the terminal, because that decides whether a retry is safe.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request never reached the terminal (connection refused, no ACK after retries).
    case notDelivered(String)
    /// Another transaction is in flight on this terminal.
    case busy(terminal: String)
    /// The terminal answered something that is not a valid reply.
    case malformedReply(String)
    /// A non-money call (status, lookup, batch) failed after it was sent.
    case failed(String)
    /// The terminal cannot do this (HTTP mode has no cancel, a family has no ACH).
    case unsupported(String)

    public var description: String {
        switch self {
        case .notDelivered(let reason): return "The terminal did not receive the request (\(reason)); nothing was charged."
        case .busy(let name): return "Terminal \(name) is busy with another transaction; wait for it to finish."
        case .malformedReply(let reason): return "The terminal sent a reply posplus cannot read: \(reason)."
        case .failed(let reason): return "The terminal call failed: \(reason)."
        case .unsupported(let what): return "The terminal cannot \(what)."
        }
    }
}

import Ledger
import PosPlusCore
import Terminal

/// A counter terminal as a ``PaymentChannel``: any family's driver, through the brand-free
/// ``TerminalDriver`` seam. The terminal's answer is translated here, once, into what the
/// ledger records.
public struct TerminalChannel: PaymentChannel {
    public let name: String
    public let endpoint: String?
    private let driver: any TerminalOperations
    private let healthCheck: (@Sendable () async -> TerminalHealth)?

    /// `driver` is a family's driver, or — for a configured terminal — its
    /// ``Terminal/TerminalSupervisor``, which keeps one transaction in flight per terminal.
    /// `endpoint`, for a terminal named by address rather than by a configured name, is what
    /// ``TerminalDirectory/channel(named:recordedAt:timeouts:)`` reads back: its family and locator.
    /// `health` asks the terminal how it is (the supervisor's keepalive check, which never
    /// interrupts a transaction); without it ``health()`` answers "unknown".
    public init(
        name: String, driver: any TerminalOperations, endpoint: String? = nil, health: (@Sendable () async -> TerminalHealth)? = nil
    ) {
        self.name = name
        self.driver = driver
        self.endpoint = endpoint
        self.healthCheck = health
    }

    /// How the terminal is now, asked through whatever keeps its one transaction in flight.
    public func health() async -> TerminalHealth {
        await healthCheck?() ?? TerminalHealth(state: .unknown, detail: "This terminal is not supervised here; its health is not checked.")
    }

    public func collect(_ request: ChannelRequest) async throws(PaymentChannelError) -> ChannelAnswer {
        let kind: TerminalRequest.Kind
        switch request.operation {
        case .sale, .deposit: kind = .sale(request.amount)
        case .keyedSale: kind = .keyedSale(request.amount, .telephone)
        case .achDebit: kind = .achDebit(request.amount)
        case .void, .refund:
            guard let original = request.original else {
                throw .unsupported("A \(request.operation.displayName.lowercased()) needs the original.")
            }
            let transaction = OriginalTransaction(
                terminalRecordNumber: original.deviceRecordNumber, hostReference: original.processorReference,
                authCode: original.authCode, reference: original.reference)
            kind = request.operation == .void ? .void(transaction) : .refund(request.amount, of: transaction)
        case .tokenize: kind = .tokenize
        case .tokenSale:
            guard let token = request.token else { throw .unsupported("A card-on-file sale needs the card's token.") }
            kind = .tokenSale(request.amount, token: token)
        }
        do {
            let terminalRequest = TerminalRequest(kind, reference: request.reference, invoiceNumber: request.invoiceNumber)
            let result = try await TerminalProgressReport.$handler.withValue(Self.progressHandler(ChannelProgress.onAccepted)) {
                try await driver.perform(terminalRequest)
            }
            return Self.answer(result, operation: request.operation)
        } catch let error as TerminalError {
            switch error {
            case .notDelivered(let reason): throw .notDelivered(reason)
            case .busy: throw .notDelivered("\(error)")
            case .unsupported: throw .unsupported("\(error)")
            case .malformedReply, .failed:
                // After the request may have gone out: the money may have moved.
                return ChannelAnswer(.unknown(reason: "\(error)"))
            }
        } catch {
            return ChannelAnswer(.unknown(reason: "\(error)"))
        }
    }

    public func cancelInProgress() async throws(PaymentChannelError) {
        do { try await driver.cancel() } catch { throw .notDelivered("the cancel did not reach \(name): \(error)") }
    }

    /// The terminal's progress, passed on as the channel's.
    private static func progressHandler(_ listener: ChannelProgress.Listener?) -> TerminalProgressReport.Handler? {
        guard let listener else { return nil }
        return TerminalProgressReport.Handler { progress in
            switch progress {
            case .accepted: listener.accepted()
            }
        }
    }

    public func lookup(_ reference: PaymentReference, operation: PaymentOperation) async throws(PaymentChannelError) -> ChannelAnswer {
        do {
            switch try await driver.lookup(reference) {
            case .notFound: return ChannelAnswer(.notFound)
            case .found(let result): return Self.answer(result, operation: operation)
            }
        } catch {
            throw .unavailable("\(name): \(error)")
        }
    }

    /// The ledger's answer, with the saved card of an approved `tokenize` (token, brand, last
    /// four and expiry; a terminal that reports no expiry cannot keep a card on file here).
    static func answer(_ result: TerminalResult, operation: PaymentOperation) -> ChannelAnswer {
        let recorded = attemptResult(result, operation: operation)
        guard operation == .tokenize, case .approved = recorded, let token = result.token, let card = result.card,
            let expiry = result.cardExpiry
        else { return ChannelAnswer(recorded) }
        return ChannelAnswer(recorded, savedCard: SavedCard(token: token, card: card, expiry: expiry))
    }

    /// The terminal's outcome as the ledger records it. Only approvals move money; a bank debit
    /// the terminal accepted is pending, not approved; anything uncertain stays unknown.
    static func attemptResult(_ result: TerminalResult, operation: PaymentOperation) -> AttemptResult {
        // A reply without an amount (or with zero, as some voids report) means "what was asked".
        let details = AttemptDetails(
            captured: result.approvedAmount.flatMap { $0.isPositive ? $0 : nil }, resultCode: result.resultCode, message: result.message,
            authCode: result.authCode,
            processorReference: result.hostReference, deviceRecordNumber: result.terminalRecordNumber, card: result.card,
            cardReading: result.cardReading, codes: DeclineCodes(hostCode: declineHostCode(of: result)))
        switch result.outcome {
        case .approved: return operation.rail == .ach ? .pending(details) : .approved(details)
        case .partiallyApproved: return .partiallyApproved(details)
        case .declined, .rejected: return .declined(details)
        case .aborted:
            var cancelled = details
            cancelled.message = "Cancelled at the terminal (\(result.message))."
            return .declined(cancelled)
        case .duplicate:
            var duplicate = details
            duplicate.message = "The processor refused it as a duplicate of a recent charge; check recent payments before charging again."
            return .declined(duplicate)
        case .unknown(let reason): return .unknown(reason: reason)
        }
    }

    /// The card host's own code for a decline: the terminal's words vary by model and
    /// processor, the code does not, and it is what decides soft or hard later. Only for a
    /// decline: a duplicate answer carries the *original's* code, which says nothing of this one.
    static func declineHostCode(of result: TerminalResult) -> String? {
        guard case .declined(let kind) = result.outcome else { return nil }
        if let hostCode = result.hostCode { return hostCode }
        if case .host(let hostCode) = kind { return hostCode }
        return nil
    }
}

extension TerminalChannel {
    /// Closes the terminal's batch (the day's card payments settle with the processor).
    public func closeBatch() async throws(PaymentChannelError) -> BatchSummary {
        do { return try await driver.closeBatch() } catch { throw .unavailable("\(name): \(error)") }
    }

    /// Every record of the terminal's open batch, oldest first, for reconciliation. Changes
    /// nothing on the terminal, so any failure is only "unavailable": list again later.
    public func batchRecords() async throws(PaymentChannelError) -> [TerminalBatchRecord] {
        do { return try await driver.batchRecords() } catch { throw .unavailable("\(name): \(error)") }
    }
}

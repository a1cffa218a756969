import Foundation
import Gateway
import Ledger
import PosPlusCore

/// A card-not-present processor as a ``PaymentChannel``: step 5 of the one payment path for
/// money that never touches a counter terminal.
///
/// - A sale charges a card the client saved with the processor, off-session (the card on file's
///   token is ``StoredMethod``'s text: the processor's customer and payment method).
/// - A bank debit (ACH) debits a bank account the client saved there, under the multi-use
///   mandate they accepted online when saving it (the token's third part); it stays pending
///   until the bank answers, days later, through the processor's webhook.
/// - A void cancels the processor's payment (possible only before it is final: a bank debit still
///   processing; a captured card payment is given back with a refund, and the processor's
///   refusal means nothing moved).
/// - A refund is never above what the processor says is refundable now (the gateway checks).
/// - The attempt's reference is the processor's idempotency key and rides in the payment's
///   metadata (`posplus_reference`), so ``lookup(_:operation:)`` finds a charge whose answer
///   was lost.
///
/// Two names use it: the gateway's own (`stripe`) for charges posplus makes, and `link:` plus
/// that name for payments customers made through links, so those are refunded on the same path.
public struct GatewayChannel: PaymentChannel {
    public let name: String
    let gateway: any PaymentGateway
    /// How far back a lookup searches the processor's payments for a reference.
    public var lookupWindow: TimeInterval = 7 * 24 * 3_600
    let now: @Sendable () -> Date

    public init(name: String, gateway: any PaymentGateway, now: @escaping @Sendable () -> Date = Date.init) {
        self.name = name
        self.gateway = gateway
        self.now = now
    }

    /// The channel of payments a processor reports by itself (a link's webhook), named for how
    /// they are recorded and noted; it never sends anything.
    public static func reportedOnly(name: String) -> ReportedChannel { ReportedChannel(name: name) }

    /// The channel name of payments customers made through `gateway`'s links.
    public static func linkChannelName(of gateway: String) -> String { "link:\(gateway)" }

    /// "card (payment link)" for what a customer paid through a link; "card-on-file sale online"
    /// for a saved card posplus charged.
    public func noteMethod(for operation: PaymentOperation) -> String {
        guard name.hasPrefix("link:") else {
            return (operation.collectsMoney ? operation.displayName.lowercased() : "card") + " online (\(gateway.name))"
        }
        return ReportedChannel.linkMethod(for: operation)
    }

    public func collect(_ request: ChannelRequest) async throws(PaymentChannelError) -> ChannelAnswer {
        let key = request.reference.rawValue
        switch request.operation {
        case .sale, .deposit, .tokenSale:
            guard let token = request.token, let stored = StoredMethod(token), stored.mandate == nil else {
                throw .unsupported("A charge through \(gateway.name) needs a card the client saved with \(gateway.name).")
            }
            let source = GatewayChargeRequest.Source.savedCard(customer: stored.customer, paymentMethod: stored.paymentMethod)
            return try Self.answer(await gateway.charge(chargeRequest(request, source), idempotencyKey: key), rail: request.operation.rail)
        case .achDebit:
            guard let token = request.token, let stored = StoredMethod(token), let mandate = stored.mandate else {
                throw .unsupported(
                    "A bank debit through \(gateway.name) needs a bank account the client saved there with their mandate "
                        + "(posplus card add-stripe --mandate), or a payment link.")
            }
            let source = GatewayChargeRequest.Source.bankAccount(
                customer: stored.customer, paymentMethod: stored.paymentMethod, mandate: mandate)
            return try Self.answer(await gateway.charge(chargeRequest(request, source), idempotencyKey: key), rail: .ach)
        case .void:
            let original = try processorPayment(of: request)
            return try Self.answer(await gateway.cancel(original, idempotencyKey: key), rail: .card)
        case .refund:
            let original = try processorPayment(of: request)
            switch await gateway.refund(original, amount: request.amount, idempotencyKey: key) {
            case .refunded(let refund), .pending(let refund):
                // A pending refund (of a bank debit) is given back already as far as the
                // customer's money is concerned: the processor owes it now.
                return ChannelAnswer(
                    .approved(AttemptDetails(captured: refund.amount, message: "refund \(refund.id)", processorReference: refund.id)))
            case .rejected(let error): throw .notDelivered("\(gateway.name) refused the refund: \(error)")
            case .unknown(let reason): return ChannelAnswer(.unknown(reason: reason))
            }
        case .keyedSale, .tokenize:
            throw .unsupported(
                "\(request.operation.displayName) needs a counter terminal; \(gateway.name) never receives a card number from posplus.")
        }
    }

    /// Charges are found by the reference in their metadata. A void or refund is not listed
    /// that way; carrying it on under the same key replays the processor's stored answer.
    public func lookup(_ reference: PaymentReference, operation: PaymentOperation) async throws(PaymentChannelError) -> ChannelAnswer {
        guard operation.collectsMoney else {
            throw .unavailable("\(name): a \(operation.displayName.lowercased()) is settled by repeating it under the same key")
        }
        let recent: [GatewayPayment]
        do { recent = try await gateway.payments(since: now().addingTimeInterval(-lookupWindow)) } catch {
            throw .unavailable("\(name): \(error)")
        }
        guard let found = recent.last(where: { $0.metadata["posplus_reference"] == reference.rawValue }) else {
            return ChannelAnswer(.notFound)
        }
        switch found.status {
        case .succeeded, .authorized: return ChannelAnswer(.approved(Self.details(found)))
        case .processing:
            return ChannelAnswer(operation.rail == .ach ? .pending(Self.details(found)) : .unknown(reason: "still processing"))
        case .requiresAction, .requiresPaymentMethod, .canceled: return ChannelAnswer(.declined(Self.details(found)))
        }
    }

    /// The processor's charge for `request`: its reference in the metadata, so ``lookup(_:operation:)``
    /// finds it again, and the invoice it pays.
    private func chargeRequest(_ request: ChannelRequest, _ source: GatewayChargeRequest.Source) -> GatewayChargeRequest {
        GatewayChargeRequest(
            amount: request.amount, source: source, description: request.invoiceNumber.map { "Invoice #\($0)" },
            metadata: ["posplus_reference": request.reference.rawValue].merging(
                request.invoiceNumber.map { ["jobber_invoice_number": $0] } ?? [:]
            ) { $1 })
    }

    private func processorPayment(of request: ChannelRequest) throws(PaymentChannelError) -> String {
        guard let id = request.original?.processorReference else {
            throw .unsupported("The \(gateway.name) payment behind this one is not recorded; it cannot be reversed here.")
        }
        return id
    }

    /// The processor's outcome as the ledger records it; a refusal before anything moved is
    /// "not delivered" (nothing was charged), never a decline.
    static func answer(_ outcome: GatewayOutcome, rail: PaymentRail) throws(PaymentChannelError) -> ChannelAnswer {
        switch outcome {
        case .approved(let payment): return ChannelAnswer(.approved(details(payment)))
        case .pending(let payment):
            return ChannelAnswer(rail == .ach ? .pending(details(payment)) : .unknown(reason: "the processor is still processing it"))
        case .declined(let decline):
            let codes = DeclineCodes(gatewayCode: decline.code, gatewayDeclineCode: decline.declineCode)
            return ChannelAnswer(
                .declined(AttemptDetails(message: decline.description, processorReference: decline.paymentID, codes: codes)))
        case .rejected(let error): throw .notDelivered("\(error)")
        case .unknown(let reason): return ChannelAnswer(.unknown(reason: reason))
        }
    }

    static func details(_ payment: GatewayPayment) -> AttemptDetails {
        let card = payment.method.flatMap { try? MaskedCard(brand: $0.label.uppercased(), last4: $0.last4) }
        let captured = payment.captured.isPositive ? payment.captured : payment.amount
        return AttemptDetails(captured: captured, message: payment.status.rawValue, processorReference: payment.id, card: card)
    }
}

/// A card or bank account saved with a processor, as a card on file keeps it: the processor's
/// customer and payment method, and for a bank account the mandate it is debited under — never
/// anything of the card or account itself.
public struct StoredMethod: Equatable, Sendable {
    public var customer: String
    public var paymentMethod: String
    /// A bank account's debit mandate; nil for a card.
    public var mandate: String?

    public init(customer: String, paymentMethod: String, mandate: String? = nil) {
        self.customer = customer
        self.paymentMethod = paymentMethod
        self.mandate = mandate
    }

    /// Reads `customer/paymentMethod` or `customer/paymentMethod/mandate`; nil for anything else
    /// (a terminal's token).
    public init?(_ token: String) {
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy(Self.isIdentifier) else { return nil }
        customer = String(parts[0])
        paymentMethod = String(parts[1])
        mandate = parts.count == 3 ? String(parts[2]) : nil
    }

    /// Whether `part` may be a processor's id: letters, digits and underscores, 1 to 255.
    public static func isIdentifier<S: StringProtocol>(_ part: S) -> Bool {
        !part.isEmpty && part.count <= 255 && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    public var token: String { ([customer, paymentMethod] + (mandate.map { [$0] } ?? [])).joined(separator: "/") }
}

/// A channel posplus never sends on: payments a processor reports by itself (a paid link)
/// are recorded on it, so the ledger and the Jobber note name them the same way as when they are
/// refunded through the gateway's link channel.
public struct ReportedChannel: PaymentChannel {
    public let name: String

    public func collect(_ request: ChannelRequest) async throws(PaymentChannelError) -> ChannelAnswer {
        throw .unsupported("\(name) only records what the processor reports; nothing is sent on it.")
    }

    public func lookup(_ reference: PaymentReference, operation: PaymentOperation) async throws(PaymentChannelError) -> ChannelAnswer {
        throw .unavailable("\(name): the processor's webhook reports these payments")
    }

    public func noteMethod(for operation: PaymentOperation) -> String { Self.linkMethod(for: operation) }

    /// "card (payment link)" or "bank debit (payment link)".
    static func linkMethod(for operation: PaymentOperation) -> String {
        (operation.rail == .card ? "card" : "bank debit") + " (payment link)"
    }
}

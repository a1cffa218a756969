import Foundation
import PosPlusCore

/// The one result of every charge and cancel, whatever the processor.
public enum GatewayOutcome: Equatable, Sendable {
    /// Money was taken: see ``GatewayPayment/status``.
    case approved(GatewayPayment)
    /// Accepted but not final: ACH debits stay here until the bank answers (days).
    case pending(GatewayPayment)
    case declined(GatewayDecline)
    /// Refused before any money moved (a wrong parameter, a bad key, a reused idempotency key).
    case rejected(GatewayError)
    /// The processor may or may not have acted (no reply, a 5xx after retries): never retry
    /// with a new key; look the payment up, or repeat with the same key.
    case unknown(reason: String)
}

/// The result of a refund.
public enum GatewayRefundOutcome: Equatable, Sendable {
    case refunded(GatewayRefund)
    /// Accepted, not yet final (refunds of bank debits).
    case pending(GatewayRefund)
    case rejected(GatewayError)
    case unknown(reason: String)
}

public struct GatewayRefund: Equatable, Sendable {
    public var id: String
    public var paymentID: String
    public var amount: Money
}

/// A payment as the processor reports it.
public struct GatewayPayment: Equatable, Sendable {
    public enum Status: String, Equatable, Sendable {
        /// Authorised, waiting for capture: made outside posplus, which never only authorises.
        case authorized
        /// Money taken.
        case succeeded
        /// Submitted and waiting for the bank (ACH).
        case processing
        /// Needs the customer (3-D Secure) or a new payment method.
        case requiresAction
        case requiresPaymentMethod
        case canceled
    }

    public var id: String
    public var status: Status
    public var amount: Money
    /// Captured so far (zero while authorised or processing).
    public var captured: Money
    /// Refunded so far, as the processor reports it now.
    public var refunded: Money
    public var method: PaymentMethodSummary?
    public var metadata: [String: String]
    public var created: Date

    /// What may still be refunded: captured − refunded.
    public var refundable: Money { Money(minorUnits: max(0, captured.minorUnits - refunded.minorUnits), currency: amount.currency) }
}

/// What may be shown about how a payment was made: a brand and last four, never more.
public struct PaymentMethodSummary: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable { case card, bankAccount }
    public var kind: Kind
    /// Card brand ("visa") or bank name.
    public var label: String
    public var last4: String

    public init(kind: Kind, label: String, last4: String) {
        self.kind = kind
        self.label = label
        self.last4 = last4
    }
}

/// Why a processor said no.
public struct GatewayDecline: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// A card decline; `code` is the processor's decline code (generic_decline, lost_card…).
        case cardDeclined(code: String?)
        case expiredCard
        case incorrectCVC
        case insufficientFunds
        /// The bank wants the customer present (3-D Secure) for this off-session charge.
        case authenticationRequired
        case processingError
        /// A bank debit failed (closed account, not authorised…): the processor's code.
        case bankDebitFailed(code: String)
        case other(code: String)
    }

    public var reason: Reason
    /// The processor's words, for the log and the screen.
    public var message: String
    /// The payment the decline belongs to, when the processor created one.
    public var paymentID: String?
    /// The processor's machine codes, exactly as sent, kept so the ledger can store them:
    /// Stripe's `code` (`card_declined`, `expired_card`) and `decline_code` (`stolen_card`,
    /// `insufficient_funds`). The words alone cannot say why; Stripe words a stolen card as
    /// the plain "Your card was declined.".
    public var code: String? = nil
    public var declineCode: String? = nil

    public var description: String {
        switch reason {
        case .authenticationRequired:
            return "The bank wants the customer to approve this charge themselves; send them a payment link instead. (\(message))"
        case .insufficientFunds: return "Insufficient funds. (\(message))"
        case .expiredCard: return "The card has expired. (\(message))"
        default: return message
        }
    }
}

/// A request the processor could not be asked, or refused outright (not a decline).
public enum GatewayError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter was wrong: `param` names it.
    case invalidRequest(message: String, param: String?)
    /// The API key was refused.
    case authentication(String)
    /// The same idempotency key was used with different parameters.
    case idempotencyConflict(String)
    case rateLimited
    case processor(status: Int, message: String)
    case transport(String)
    case malformedResponse(String)
    case notFound(String)
    /// Refused before asking: the amount is more than is left to refund.
    case refundExceedsRemaining(requested: Money, remaining: Money)

    public var description: String {
        switch self {
        case .invalidRequest(let message, let param): return param.map { "\(message) (parameter \($0))" } ?? message
        case .authentication(let message): return "The processor refused the API key: \(message)"
        case .idempotencyConflict(let message): return "The idempotency key was already used for a different request: \(message)"
        case .rateLimited: return "The processor is limiting requests; try again shortly."
        case .processor(let status, let message): return "The processor failed (HTTP \(status)): \(message)"
        case .transport(let message): return "The processor could not be reached: \(message)"
        case .malformedResponse(let message): return "The processor's reply could not be read: \(message)"
        case .notFound(let message): return message
        case .refundExceedsRemaining(let requested, let remaining):
            return "\(requested.formatted) is more than the \(remaining.formatted) left to refund on this payment."
        }
    }
}

/// A payment link to create: for an invoice, or for a quote's deposit.
public struct PaymentLinkRequest: Equatable, Sendable {
    public var amount: Money
    /// What the customer sees on the payment page ("Invoice #1042 — Maple & Pine").
    public var description: String
    public var invoiceID: String?
    public var invoiceNumber: String?
    public var quoteID: String?
    /// The ledger's reference for this link; also put on the payment it produces.
    public var reference: String
    /// Offer bank debit (ACH) as well as cards.
    public var allowBankDebit: Bool

    public init(
        amount: Money, description: String, invoiceID: String? = nil, invoiceNumber: String? = nil, quoteID: String? = nil,
        reference: String, allowBankDebit: Bool = false
    ) {
        self.amount = amount
        self.description = description
        self.invoiceID = invoiceID
        self.invoiceNumber = invoiceNumber
        self.quoteID = quoteID
        self.reference = reference
        self.allowBankDebit = allowBankDebit
    }
}

public struct GatewayLink: Equatable, Sendable {
    public var id: String
    public var url: String
    public var active: Bool
}

/// A charge to make.
public struct GatewayChargeRequest: Equatable, Sendable {
    public enum Source: Equatable, Sendable {
        /// A card saved on a customer, charged without the customer present.
        case savedCard(customer: String, paymentMethod: String)
        /// A card entered in the processor's hosted field at the desk (never a card number here).
        case hostedCard(paymentMethod: String)
        /// A bank account saved on a customer, debited (ACH) off-session under the multi-use
        /// mandate the customer accepted online when the account was saved.
        case bankAccount(customer: String, paymentMethod: String, mandate: String)
    }

    public var amount: Money
    public var source: Source
    public var description: String?
    /// Ours: invoice, quote, reference, operator. Stored on the processor's payment.
    public var metadata: [String: String]

    public init(amount: Money, source: Source, description: String? = nil, metadata: [String: String] = [:]) {
        self.amount = amount
        self.source = source
        self.description = description
        self.metadata = metadata
    }
}

public struct GatewayCustomer: Equatable, Sendable {
    public var name: String
    public var email: String?
    public var jobberClientID: String

    public init(name: String, email: String?, jobberClientID: String) {
        self.name = name
        self.email = email
        self.jobberClientID = jobberClientID
    }
}

/// A saved card or bank account: the processor's token and what may be shown.
public struct SavedMethod: Equatable, Sendable {
    public var id: String
    public var customer: String?
    public var kind: PaymentMethodSummary.Kind
    /// The card brand ("visa") or the bank's name.
    public var brand: String
    public var last4: String
    /// A card's expiry; nil for a bank account, which does not expire.
    public var expiryMonth: Int?
    public var expiryYear: Int?
    /// A bank account's multi-use mandate, when saving it produced one.
    public var mandate: String?
}

/// Where and when the customer accepted debits from their bank account (Stripe's
/// `mandate_data`): given by the customer on their own device, on the processor's page or the
/// console's, never typed in by staff.
public struct MandateAcceptance: Equatable, Sendable {
    public var ipAddress: String
    public var userAgent: String
    public var acceptedAt: Date

    public init(ipAddress: String, userAgent: String, acceptedAt: Date) {
        self.ipAddress = ipAddress
        self.userAgent = userAgent
        self.acceptedAt = acceptedAt
    }
}

/// A customer's standing permission to debit a bank account, as the processor holds it.
public struct GatewayMandate: Equatable, Sendable {
    public enum Status: String, Equatable, Sendable { case active, inactive, pending }

    public var id: String
    public var paymentMethod: String
    public var status: Status
    /// Multi-use mandates allow later off-session debits; single-use ones only the first.
    public var multiUse: Bool
    public var acceptedAt: Date?
}

import Foundation
import PosPlusCore

/// A card-not-present processor: payment links, charges of saved cards and bank accounts,
/// cancel, refunds, and listing for reconciliation.
///
/// Every money-moving call takes an idempotency key, which callers set to the ledger's
/// reference for the attempt: repeating a call after a lost reply can never move money twice.
/// Results are one uniform ``GatewayOutcome`` whatever the processor, and ``unknown`` is a real
/// answer (the processor may have acted); Recovery settles it with ``payment(_:)`` or a repeat
/// with the same key. Stripe is the first implementation (``StripeGateway``).
public protocol PaymentGateway: Sendable {
    /// "stripe": stored with each payment, link and saved card.
    var name: String { get }
    var capabilities: GatewayCapabilities { get }

    /// A link the customer opens to pay `request.amount`, at most once.
    func createLink(_ request: PaymentLinkRequest, idempotencyKey: String) async throws(GatewayError) -> GatewayLink
    /// Stops a link from taking payments (after it was paid elsewhere, or staff cancel it).
    func deactivateLink(_ id: String, idempotencyKey: String) async throws(GatewayError)

    /// Charges a saved card, a card from the processor's hosted field, or a saved bank account
    /// under its mandate.
    func charge(_ request: GatewayChargeRequest, idempotencyKey: String) async -> GatewayOutcome
    /// Cancels an unfinished payment (a bank debit still processing): the card-not-present "void".
    func cancel(_ paymentID: String, idempotencyKey: String) async -> GatewayOutcome
    /// Refunds part or all of a captured payment, never more than is left to refund now.
    func refund(_ paymentID: String, amount: Money, idempotencyKey: String) async -> GatewayRefundOutcome

    /// A payment as the processor reports it now.
    func payment(_ id: String) async throws(GatewayError) -> GatewayPayment
    /// Payments created at or after `since`, oldest first, all pages.
    func payments(since: Date) async throws(GatewayError) -> [GatewayPayment]
    /// Everything that moved since `since` — payments, refunds, disputes, balance movements
    /// with fees, payouts — for reconciliation, in as few requests as the pages allow.
    func activity(since: Date) async throws(GatewayError) -> GatewayActivity

    /// The processor's customer for a Jobber client (created once per key).
    func createCustomer(_ customer: GatewayCustomer, idempotencyKey: String) async throws(GatewayError) -> String
    /// Saves a payment method from the processor's hosted field for later, off-session charges;
    /// a bank account needs the customer's `acceptance` of debits, which becomes its mandate.
    func saveMethod(customer: String, paymentMethod: String, acceptance: MandateAcceptance?, idempotencyKey: String)
        async throws(GatewayError) -> SavedMethod
    /// The cards and bank accounts saved on a customer.
    func savedMethods(customer: String) async throws(GatewayError) -> [SavedMethod]
    /// A bank-debit mandate as the processor holds it now (a customer may revoke it).
    func mandate(_ id: String) async throws(GatewayError) -> GatewayMandate
    /// Detaches a saved method from its customer: it can never be charged again.
    func removeSavedMethod(_ id: String) async throws(GatewayError)
}

/// What a gateway can do; callers check before offering an operation.
public struct GatewayCapabilities: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let paymentLinks = GatewayCapabilities(rawValue: 1 << 0)
    public static let ach = GatewayCapabilities(rawValue: 1 << 1)
    public static let savedMethods = GatewayCapabilities(rawValue: 1 << 3)
    public static let partialRefunds = GatewayCapabilities(rawValue: 1 << 4)
}

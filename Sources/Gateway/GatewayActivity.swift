import Foundation
import PosPlusCore

/// Everything the processor did in a window, as reconciliation needs it: its payments (with the
/// refunds folded in), each refund and dispute on its own, the balance movements with their
/// fees, and the payouts they were paid out in. Read with one paged list per kind — never one
/// request per payment — so a month of payments costs ⌈n/100⌉ requests per list.
public struct GatewayActivity: Sendable, Equatable {
    /// Payments created in the window; `refunded` sums their refunds listed below.
    public var payments: [GatewayPayment]
    /// Refunds and disputes created in the window (of any payment, older ones too).
    public var reversals: [GatewayReversal]
    /// Balance movements created in the window: what each charge, refund and dispute did to
    /// the account's balance, fee included.
    public var balance: [GatewayBalanceEntry]
    /// Payouts created in the window, each with the balance movements it paid out.
    public var payouts: [GatewayPayout]
    /// Every link that can still take money, whenever it was made (a link has no creation date
    /// to filter on, and an old one is exactly what must not stay open by mistake).
    public var activeLinks: [GatewayLinkListing]

    public init(
        payments: [GatewayPayment], reversals: [GatewayReversal], balance: [GatewayBalanceEntry], payouts: [GatewayPayout],
        activeLinks: [GatewayLinkListing] = []
    ) {
        self.payments = payments
        self.reversals = reversals
        self.balance = balance
        self.payouts = payouts
        self.activeLinks = activeLinks
    }
}

/// A payment link as the processor lists it, with the metadata posplus gave it.
public struct GatewayLinkListing: Sendable, Equatable {
    public var id: String
    public var url: String
    /// Our `posplus_reference`; nil for a link someone made by hand at the processor.
    public var reference: String?
    public var invoiceID: String?

    public init(id: String, url: String, reference: String?, invoiceID: String?) {
        self.id = id
        self.url = url
        self.reference = reference
        self.invoiceID = invoiceID
    }
}

/// Money given back at the processor: a refund (by posplus or in the processor's dashboard) or
/// a dispute the cardholder's bank opened.
public struct GatewayReversal: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case refund, dispute }

    public var id: String
    public var kind: Kind
    public var paymentID: String
    public var amount: Money
    /// The processor's status: `succeeded`/`pending`/`failed` for a refund;
    /// `needs_response`/`under_review`/`won`/`lost`… for a dispute.
    public var status: String
    public var created: Date

    public init(id: String, kind: Kind, paymentID: String, amount: Money, status: String, created: Date) {
        self.id = id
        self.kind = kind
        self.paymentID = paymentID
        self.amount = amount
        self.status = status
        self.created = created
    }

    /// Whether the money has left the account (a failed refund or a won dispute gave none back).
    public var moved: Bool {
        switch kind {
        case .refund: status == "succeeded" || status == "pending"
        case .dispute: status != "won" && status != "warning_closed"
        }
    }
}

/// One movement of the processor balance (Stripe's balance transaction).
public struct GatewayBalanceEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case charge, refund, dispute, payout, other
    }

    public var id: String
    public var kind: Kind
    /// The payment it belongs to (charges, refunds and disputes), when the processor names it.
    public var paymentID: String?
    /// Signed: a charge adds, a refund or dispute takes away.
    public var amount: Money
    /// The processor's fee on it (never negative here; a fee refund shows as a negative fee).
    public var fee: Money
    public var net: Money
    public var created: Date

    public init(id: String, kind: Kind, paymentID: String?, amount: Money, fee: Money, net: Money, created: Date) {
        self.id = id
        self.kind = kind
        self.paymentID = paymentID
        self.amount = amount
        self.fee = fee
        self.net = net
        self.created = created
    }
}

/// What the processor sent to the bank, and the balance movements it is made of.
public struct GatewayPayout: Sendable, Equatable {
    public var id: String
    public var amount: Money
    /// `paid`, `in_transit`, `pending`, `failed`, `canceled`.
    public var status: String
    public var arrival: Date
    public var created: Date
    /// The movements it pays out (empty for a manual payout: the processor cannot break it down).
    public var entries: [GatewayBalanceEntry]

    public init(id: String, amount: Money, status: String, arrival: Date, created: Date, entries: [GatewayBalanceEntry]) {
        self.id = id
        self.amount = amount
        self.status = status
        self.arrival = arrival
        self.created = created
        self.entries = entries
    }
}

import Foundation
import PosPlusCore

/// A charge or payment link about to be made, as the risk scorer sees it: nothing but what
/// posplus knows before anything is sent.
public struct RiskRequest: Equatable, Sendable {
    /// What the customer is about to be charged or asked for.
    public var amount: Money
    /// The Jobber client it is for.
    public var clientID: String
    /// Typed in by hand on the terminal (a keyed sale).
    public var isKeyed: Bool
    /// The card, where it is known before charging (a saved card: brand and last four, as the
    /// ledger keeps them). A card presented at the counter is read only during the sale, and a
    /// link's card is typed at the processor: both are nil here.
    public var card: MaskedCard?
    /// When it is asked (the scorer's "now").
    public var at: Date

    public init(amount: Money, clientID: String, isKeyed: Bool = false, card: MaskedCard? = nil, at: Date) {
        self.amount = amount
        self.clientID = clientID
        self.isKeyed = isKeyed
        self.card = card
        self.at = at
    }
}

/// The client's record as the ledger has it, read fresh for each request.
public struct RiskHistory: Equatable, Sendable {
    /// What the client's earlier approved payments took (the newest first, up to
    /// ``RiskRules/usualSampleSize``). Empty: a new client.
    public var approvedAmounts: [Money]
    /// The client's charges begun recently (whatever their answer: a declined try counts for
    /// card testing), with when they were asked.
    public var recentCharges: [Charge]
    /// Declines of the request's card (the same brand and last four) on other clients.
    public var cardDeclines: [Decline]
    /// The client's invoices in Jobber, read through the same ``ClientPaymentHistory`` payment
    /// plans use, so the two agree on who is new: a client who has paid invoices there is not
    /// new, whatever posplus's own ledger holds. Nil when Jobber's history was not read.
    public var jobber: ClientPaymentHistory?

    public struct Charge: Equatable, Sendable {
        public var amount: Money
        public var at: Date
        public init(amount: Money, at: Date) {
            self.amount = amount
            self.at = at
        }
    }

    public struct Decline: Equatable, Sendable {
        /// The ledger's payment, quoted so a manager can look it up.
        public var paymentID: Int64
        public var clientID: String
        public var at: Date
        public init(paymentID: Int64, clientID: String, at: Date) {
            self.paymentID = paymentID
            self.clientID = clientID
            self.at = at
        }
    }

    public init(
        approvedAmounts: [Money] = [], recentCharges: [Charge] = [], cardDeclines: [Decline] = [], jobber: ClientPaymentHistory? = nil
    ) {
        self.approvedAmounts = approvedAmounts
        self.recentCharges = recentCharges
        self.cardDeclines = cardDeclines
        self.jobber = jobber
    }
}

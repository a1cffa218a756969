import Foundation
import GRDB
import PosPlusCore

/// One row of `paymentPlan`: an invoice's balance split into instalments the client agreed to,
/// who agreed it for the business, and where it stands. Its instalments are
/// ``PlanInstalmentRecord``s; a new plan is a ``NewPaymentPlan``.
public struct PaymentPlanRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "paymentPlan"

    public enum State: String, Codable, Equatable, Sendable, CaseIterable, DatabaseValueConvertible {
        /// Kept as a proposal for the office, not yet agreed (allowed by the schema; posplus
        /// proposes on request and keeps only what staff accept).
        case proposed
        /// Agreed with the client, waiting for a manager before anything is scheduled.
        case waitingApproval
        /// Agreed (and approved where needed): its instalments are scheduled.
        case accepted
        /// Stopped by staff or a manager's denial; nothing more is charged.
        case cancelled
        /// Every instalment paid, or the invoice paid in full another way.
        case completed

        /// Whether the plan still holds the invoice (one live plan per invoice).
        public var isLive: Bool { self == .proposed || self == .waitingApproval || self == .accepted }
    }

    public var id: Int64
    public var invoiceID: String
    public var invoiceNumber: String
    public var clientID: String
    public var clientName: String
    public var currency: Currency
    public var totalMinor: Int64
    public var state: State
    /// The option staff accepted (1, 2, 3 as proposed) and its words.
    public var optionNumber: Int
    public var optionSummary: String
    /// Why the client was offered a plan ("Client has paid 9 of 10 invoices on time, …").
    public var reason: String
    public var createdBy: String
    public var createdAt: Date
    /// Who accepted it for the business (the staff member, or the manager who approved it).
    public var decidedBy: String?
    public var decidedAt: Date?
    /// The manager's approval it waited for, if it was over `plans.approve_over`.
    public var approvalID: Int64?
    /// Why it was cancelled or completed.
    public var endedReason: String?
    public var updatedAt: Date

    public var total: Money { Money(minorUnits: totalMinor, currency: currency) }
}

/// One row of `planInstalment`: one payment of a plan, when it is due, how it is paid (a saved
/// card charged off-session, or a payment link sent to the client) and what became of it.
public struct PlanInstalmentRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "planInstalment"

    public enum State: String, Codable, Equatable, Sendable, CaseIterable, DatabaseValueConvertible {
        case scheduled
        /// The saved card was charged and approved.
        case charged
        /// A payment link for it went to the client.
        case linkSent
        /// Its link was paid.
        case paid
        /// The card was declined (recovery takes it from there).
        case failed
        /// Not charged: the plan was cancelled, or the invoice was paid first.
        case cancelled

        /// Whether the instalment's money is in: a link sent is not, until it is paid.
        public var isSettled: Bool { self == .charged || self == .paid }
    }

    public var id: Int64
    public var planID: Int64
    public var number: Int
    public var currency: Currency
    public var amountMinor: Int64
    public var dueAt: Date
    /// The client's saved card it is charged on; nil when it goes by link.
    public var savedCardID: Int64?
    /// Where its link goes (`sms:+15555550101` or `email:ada@example.com`); nil for a card.
    public var linkRecipient: String?
    public var state: State
    public var paymentID: Int64?
    public var linkID: Int64?
    /// What happened, in words (a decline's message, "invoice paid in full").
    public var note: String?
    public var updatedAt: Date

    public var amount: Money { Money(minorUnits: amountMinor, currency: currency) }

    /// The key its charge or link is made under: the same on every run of its job, so a job
    /// that runs twice finds the payment the first run made instead of charging again.
    public var idempotencyKey: IdempotencyKey { get throws { try IdempotencyKey("plan-\(planID)-\(number)") } }
}

/// A plan to record: everything but what the ledger assigns.
public struct NewPaymentPlan: Equatable, Sendable {
    /// How every instalment of the plan is paid.
    public enum Method: Equatable, Sendable {
        case savedCard(Int64)
        /// `sms:+15555550101` or `email:ada@example.com`.
        case link(String)
    }

    public struct Instalment: Equatable, Sendable {
        public var amount: Money
        public var dueAt: Date

        public init(amount: Money, dueAt: Date) {
            self.amount = amount
            self.dueAt = dueAt
        }
    }

    public var invoiceID: String
    public var invoiceNumber: String
    public var clientID: String
    public var clientName: String
    public var optionNumber: Int
    public var optionSummary: String
    public var reason: String
    public var method: Method
    public var instalments: [Instalment]

    public init(
        invoiceID: String, invoiceNumber: String, clientID: String, clientName: String, optionNumber: Int, optionSummary: String,
        reason: String, method: Method, instalments: [Instalment]
    ) {
        self.invoiceID = invoiceID
        self.invoiceNumber = invoiceNumber
        self.clientID = clientID
        self.clientName = clientName
        self.optionNumber = optionNumber
        self.optionSummary = optionSummary
        self.reason = reason
        self.method = method
        self.instalments = instalments
    }
}

extension PaymentPlanRecord {
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = PaymentPlanRecord.databaseTableName

        var invoiceID: String
        var invoiceNumber: String
        var clientID: String
        var clientName: String
        var currency: Currency
        var totalMinor: Int64
        var state: State
        var optionNumber: Int
        var optionSummary: String
        var reason: String
        var createdBy: String
        var createdAt: Date
        var decidedBy: String?
        var decidedAt: Date?
        var updatedAt: Date
    }
}

extension PlanInstalmentRecord {
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = PlanInstalmentRecord.databaseTableName

        var planID: Int64
        var number: Int
        var currency: Currency
        var amountMinor: Int64
        var dueAt: Date
        var savedCardID: Int64?
        var linkRecipient: String?
        var state: State
        var updatedAt: Date
    }
}

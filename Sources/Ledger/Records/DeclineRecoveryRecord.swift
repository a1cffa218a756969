import Foundation
import GRDB
import PosPlusCore

/// One invoice's recovery after a decline (issue 13, part 2): which payment started it, the
/// sequence's state as its owner stored it, and when it next has something to do.
///
/// The ledger does not read `machineJSON`: the sequence's rules live in the Receivables module,
/// and the ledger only keeps the state safe between events, as it keeps an outbox payload.
public struct DeclineRecoveryRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "declineRecovery"

    public enum State: String, Codable, Equatable, Sendable, DatabaseValueConvertible {
        case active
        case finished
    }

    public var id: Int64
    /// The declined (or returned) payment that started it.
    public var paymentID: Int64
    public var invoiceID: String
    public var invoiceNumber: String?
    public var clientID: String?
    /// The saved card the declined payment was charged to, when it was; retries use it.
    public var savedCardID: Int64?
    public var state: State
    /// The decline's class and reason, as a manager reads it.
    public var explanation: String
    public var machineJSON: String
    public var nextWakeAt: Date?
    public var finishReason: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// One action of a recovery: text or email a link, charge the saved card again, or a task for
/// the office. Proposed steps wait for a person (`declines.mode = suggest`) through an
/// approval; due steps are carried out; an office task stays open until someone closes it.
public struct DeclineStepRecord: Codable, Equatable, Sendable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "declineStep"

    public enum Action: String, Codable, Equatable, Sendable, DatabaseValueConvertible {
        case textLink
        case emailLink
        case retryCard
        case officeTask

        /// For people: "text a payment link".
        public var words: String {
            switch self {
            case .textLink: "text a payment link"
            case .emailLink: "email a payment link"
            case .retryCard: "charge the saved card again"
            case .officeTask: "a task for the office"
            }
        }
    }

    public enum State: String, Codable, Equatable, Sendable, DatabaseValueConvertible {
        /// Waits for a person (its approval).
        case proposed
        /// To be carried out now.
        case due
        case done
        /// Tried, and it did not work (a retry declined, a link that could not be sent).
        case failed
        /// Not done: a person said no, or the invoice was paid first.
        case skipped
        /// An office task nobody has closed yet.
        case open
    }

    public var id: Int64
    public var recoveryID: Int64
    /// 1, 2, 3… within its recovery: with the recovery, the step's idempotency key.
    public var number: Int
    public var action: Action
    /// For a retry: which try of the card (1 is the first retry after the decline).
    public var tryNumber: Int?
    public var reason: String
    public var state: State
    public var approvalID: Int64?
    public var linkID: Int64?
    public var resultPaymentID: Int64?
    /// What happened, in words.
    public var outcome: String?
    /// Who approved, skipped or closed it.
    public var decidedBy: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// The key a link or a charge of this step is made under: the same step run twice (a retried
    /// job, a second approval click, a crash) finds what it made the first time.
    public var idempotencyKey: String { "declines-\(recoveryID)-step-\(number)" }
}

/// A recovery to start: the decline, where it happened, and the sequence's first state.
public struct NewDeclineRecovery: Equatable, Sendable {
    public var paymentID: Int64
    public var invoiceID: String
    public var invoiceNumber: String?
    public var clientID: String?
    public var savedCardID: Int64?
    public var explanation: String

    public init(paymentID: Int64, invoiceID: String, invoiceNumber: String?, clientID: String?, savedCardID: Int64?, explanation: String) {
        self.paymentID = paymentID
        self.invoiceID = invoiceID
        self.invoiceNumber = invoiceNumber
        self.clientID = clientID
        self.savedCardID = savedCardID
        self.explanation = explanation
    }
}

/// A step the sequence asked for, before the ledger numbers it. A `proposed` one is held for a
/// person as an approval showing `summary`, `amount` and the reason.
public struct NewDeclineStep: Equatable, Sendable {
    public var action: DeclineStepRecord.Action
    public var tryNumber: Int?
    public var reason: String
    public var state: DeclineStepRecord.State
    /// "text a payment link for invoice #1042 ($180.00) to the client": what a person approves.
    public var summary: String
    public var amount: Money

    public init(
        action: DeclineStepRecord.Action, tryNumber: Int? = nil, reason: String, state: DeclineStepRecord.State, summary: String,
        amount: Money
    ) {
        self.action = action
        self.tryNumber = tryNumber
        self.reason = reason
        self.state = state
        self.summary = summary
        self.amount = amount
    }
}

extension DeclineRecoveryRecord {
    /// A new row: the ledger assigns its id.
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = DeclineRecoveryRecord.databaseTableName

        var paymentID: Int64
        var invoiceID: String
        var invoiceNumber: String?
        var clientID: String?
        var savedCardID: Int64?
        var state: State
        var explanation: String
        var machineJSON: String
        var nextWakeAt: Date?
        var createdAt: Date
        var updatedAt: Date
    }
}

extension DeclineStepRecord {
    /// A new row: the ledger assigns its id.
    struct Draft: Encodable, PersistableRecord {
        static let databaseTableName = DeclineStepRecord.databaseTableName

        var recoveryID: Int64
        var number: Int
        var action: Action
        var tryNumber: Int?
        var reason: String
        var state: State
        var approvalID: Int64?
        var createdAt: Date
        var updatedAt: Date
    }
}

import Foundation
import PosPlusCore

/// What each of the four sides says about the window being reconciled, as plain values: the
/// matcher never talks to a database, a processor or Jobber. Every record carries the join key
/// posplus gives a payment everywhere it goes — the attempt reference (the terminal's ECR
/// reference, Stripe's `posplus_reference` metadata, the `[posplus REF]` marker of a Jobber
/// note) — where that side kept it.
public struct ReconcileSides: Sendable {
    public var ledger: [LedgerPayment]
    public var processor: [ProcessorPayment]
    /// nil when the terminals were not read (none configured, or `--terminal` named another).
    public var terminals: [TerminalRecord]?
    /// The references the terminals were asked about (a terminal answers for its open batch
    /// only); nil when `terminals` is a full listing.
    public var terminalsAsked: Set<String>?
    public var jobber: [JobberInvoice]
    public var openLinks: [OpenLink]
    /// The processor's balance movements in the window (charges, refunds, disputes with fees).
    public var processorBalance: [ProcessorBalanceEntry]
    /// The processor's payouts in the window, each with the movements it paid out.
    public var payouts: [ProcessorPayout]
    /// The terminals' batch closes in the window: each terminal's own count and total (`B00`)
    /// beside what the ledger closed.
    public var batchCloses: [TerminalBatchClose] = []
    /// Links posplus made (they carry its reference) that the processor says can still take money.
    public var processorLinks: [ProcessorLink] = []

    public init(
        ledger: [LedgerPayment], processor: [ProcessorPayment], terminals: [TerminalRecord]?, jobber: [JobberInvoice],
        openLinks: [OpenLink] = [], processorBalance: [ProcessorBalanceEntry] = [], payouts: [ProcessorPayout] = []
    ) {
        self.ledger = ledger
        self.processor = processor
        self.terminals = terminals
        self.terminalsAsked = nil
        self.jobber = jobber
        self.openLinks = openLinks
        self.processorBalance = processorBalance
        self.payouts = payouts
    }
}

/// A payment as posplus recorded it.
public struct LedgerPayment: Sendable, Equatable {
    public enum Channel: Sendable, Equatable {
        /// Taken on a terminal (its name, or the address it was reached at).
        case terminal(String)
        /// Taken or reported by the card-not-present processor (Stripe).
        case processor
    }

    public enum Standing: String, Sendable, Equatable {
        /// Money taken (approved or settled).
        case taken
        /// A bank debit still clearing.
        case clearing
        /// Voided, declined, abandoned: no money should exist anywhere.
        case none
        /// Unknown outcome: recovery, not reconcile, decides it.
        case inDoubt
    }

    public var id: Int64
    public var reference: String
    public var channel: Channel
    public var standing: Standing
    public var captured: Money
    public var refunded: Money
    public var invoiceID: String?
    public var processorID: String?
    public var date: Date
    /// Whether its Jobber write-back job finished (the note is there, as far as the ledger knows).
    public var writeBackDone: Bool
    /// Whether a write-back job exists at all (still queued or retrying when not done).
    public var writeBackQueued: Bool
    /// The invoice's number as staff know it ("1043"), when the payment was for an invoice.
    public var invoiceNumber: String? = nil
    /// The Jobber payment record the ledger already knows counts this money.
    public var jobberRecordID: String? = nil
    /// The references its approved voids and refunds went under: a terminal lists each as a
    /// record of its own.
    public var reversalReferences: [String] = []

    public init(
        id: Int64, reference: String, channel: Channel, standing: Standing, captured: Money, refunded: Money, invoiceID: String?,
        processorID: String?, date: Date, writeBackDone: Bool, writeBackQueued: Bool
    ) {
        self.id = id
        self.reference = reference
        self.channel = channel
        self.standing = standing
        self.captured = captured
        self.refunded = refunded
        self.invoiceID = invoiceID
        self.processorID = processorID
        self.date = date
        self.writeBackDone = writeBackDone
        self.writeBackQueued = writeBackQueued
    }
}

/// A payment as the processor reports it (a Stripe PaymentIntent).
public struct ProcessorPayment: Sendable, Equatable {
    public var id: String
    /// Our `posplus_reference` metadata; nil for a payment posplus did not start.
    public var reference: String?
    public var invoiceID: String?
    public var succeeded: Bool
    /// Still on its way (a bank debit the bank has not answered).
    public var pending: Bool
    public var captured: Money
    public var refunded: Money
    public var date: Date
    /// Its refunds and disputes, each as the processor lists it.
    public var reversals: [ProcessorReversal]

    public init(
        id: String, reference: String?, invoiceID: String?, succeeded: Bool, pending: Bool = false, captured: Money, refunded: Money,
        date: Date, reversals: [ProcessorReversal] = []
    ) {
        self.id = id
        self.reference = reference
        self.invoiceID = invoiceID
        self.succeeded = succeeded
        self.pending = pending
        self.captured = captured
        self.refunded = refunded
        self.date = date
        self.reversals = reversals
    }
}

/// A refund or dispute at the processor, whoever started it.
public struct ProcessorReversal: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, Codable { case refund, dispute }

    public var id: String
    public var kind: Kind
    public var amount: Money
    /// The processor's own status word (`succeeded`, `needs_response`, `lost`…).
    public var status: String
    /// Whether the money has left the account (a failed refund or a won dispute gave none back).
    public var moved: Bool
    public var date: Date

    public init(id: String, kind: Kind, amount: Money, status: String, moved: Bool, date: Date) {
        self.id = id
        self.kind = kind
        self.amount = amount
        self.status = status
        self.moved = moved
        self.date = date
    }
}

/// One movement of the processor's balance, with its fee.
public struct ProcessorBalanceEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case charge, refund, dispute, other }

    public var kind: Kind
    /// Signed: a charge adds, a refund or dispute takes away.
    public var amount: Money
    public var fee: Money
    public var net: Money
    public var date: Date

    public init(kind: Kind, amount: Money, fee: Money, net: Money, date: Date) {
        self.kind = kind
        self.amount = amount
        self.fee = fee
        self.net = net
        self.date = date
    }
}

/// What the processor sent to the bank and what it is made of.
public struct ProcessorPayout: Sendable, Equatable {
    public var id: String
    public var amount: Money
    /// `paid`, `in_transit`, `pending`, `failed`, `canceled`.
    public var status: String
    public var arrival: Date
    public var entries: [ProcessorBalanceEntry]

    public init(id: String, amount: Money, status: String, arrival: Date, entries: [ProcessorBalanceEntry]) {
        self.id = id
        self.amount = amount
        self.status = status
        self.arrival = arrival
        self.entries = entries
    }
}

/// A transaction a terminal reports from its own records (looked up by ECR reference).
public struct TerminalRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Money taken (a sale, a capture, a bank debit).
        case charge
        case refund
        case void
    }

    public var terminal: String
    public var reference: String
    public var approved: Bool
    public var amount: Money
    public var date: Date?
    public var kind: Kind

    public init(terminal: String, reference: String, approved: Bool, amount: Money, date: Date?, kind: Kind = .charge) {
        self.kind = kind
        self.terminal = terminal
        self.reference = reference
        self.approved = approved
        self.amount = amount
        self.date = date
    }
}

/// One batch close: the terminal's totals beside the ledger's.
public struct TerminalBatchClose: Sendable, Equatable {
    public var terminal: String
    public var closedAt: Date
    public var ledgerCount: Int
    public var ledgerTotal: Money
    public var terminalCount: Int
    public var terminalTotal: Money

    public init(terminal: String, closedAt: Date, ledgerCount: Int, ledgerTotal: Money, terminalCount: Int, terminalTotal: Money) {
        self.terminal = terminal
        self.closedAt = closedAt
        self.ledgerCount = ledgerCount
        self.ledgerTotal = ledgerTotal
        self.terminalCount = terminalCount
        self.terminalTotal = terminalTotal
    }
}

/// An invoice as Jobber shows it: its balance, the posplus markers in its notes, its payment records.
public struct JobberInvoice: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        public var id: String
        public var amount: Money
        public var date: Date
        /// The `[posplus REF]` marker in the record's details, when posplus wrote it.
        public var reference: String?

        public init(id: String, amount: Money, date: Date, reference: String?) {
            self.id = id
            self.amount = amount
            self.date = date
            self.reference = reference
        }
    }

    public var id: String
    public var number: String?
    public var balance: Money
    /// References named by `[posplus REF]` markers in the invoice's notes.
    public var noteReferences: Set<String>
    public var records: [Record]

    public init(id: String, number: String?, balance: Money, noteReferences: Set<String>, records: [Record]) {
        self.id = id
        self.number = number
        self.balance = balance
        self.noteReferences = noteReferences
        self.records = records
    }
}

/// A link posplus made that is still active at the processor, with what the ledger knows of it.
public struct ProcessorLink: Sendable, Equatable {
    public enum InLedger: Sendable, Equatable {
        /// The ledger holds it open too: nothing to do.
        case open
        /// The ledger closed it (paid, cancelled, expired) — the processor did not.
        case closed(String)
        /// The ledger has no link with this reference (a crash between creating and recording it).
        case unknown
    }

    public var id: String
    public var reference: String
    public var invoiceID: String?
    public var inLedger: InLedger

    public init(id: String, reference: String, invoiceID: String?, inLedger: InLedger) {
        self.id = id
        self.reference = reference
        self.invoiceID = invoiceID
        self.inLedger = inLedger
    }
}

/// A payment link posplus still holds open.
public struct OpenLink: Sendable, Equatable {
    public var id: Int64
    public var processorLinkID: String
    public var invoiceID: String?
    public var amount: Money

    public init(id: Int64, processorLinkID: String, invoiceID: String?, amount: Money) {
        self.id = id
        self.processorLinkID = processorLinkID
        self.invoiceID = invoiceID
        self.amount = amount
    }
}

import Foundation
import PosPlusCore

/// A generated year of a small home-service business (``BusinessHistory``): its clients, its
/// invoices as posplus would read them at the end of the year, the card declines on the way,
/// and — hidden from the rules, for checking them — what was paid after that day.
public struct GeneratedBusiness: Equatable, Sendable {
    /// How a client pays: the hidden habit the history was drawn from.
    public enum PaymentHabit: String, CaseIterable, Equatable, Sendable {
        /// Pays before the due date, always.
        case prompt
        /// Around the due date: a week early to ten days late.
        case typical
        /// Five to forty days after the due date.
        case late
        /// Six weeks to five months after the due date, and one invoice in five never.
        case veryLate
    }

    public struct Client: Equatable, Sendable {
        public var id: String
        public var name: String
        public var habit: PaymentHabit
        /// Payment terms: 15 or 30 days after the issue date.
        public var netDays: Int
    }

    /// A card declined on an invoice before it was paid (or not).
    public struct Decline: Equatable, Sendable {
        public var invoiceID: String
        public var clientID: String
        public var at: Date
        public var amount: Money
        public var reason: DeclineReason
    }

    /// The moment the year is read at (its last day, 18:00 local).
    public var asOf: Date
    public var timeZone: TimeZone
    public var clients: [Client]
    /// Every invoice issued in the year, with the payments entered by ``asOf`` and the balance
    /// still owed then (zero for one paid in full).
    public var invoices: [ReceivableInvoice]
    public var declines: [Decline]
    /// Hidden: payments entered after ``asOf``, by invoice id — what really came in later.
    public var laterPayments: [String: [ReceivableInvoice.Payment]]

    public func client(_ id: String) -> Client? { clients.first { $0.id == id } }

    /// The open invoices at ``asOf``.
    public var openInvoices: [ReceivableInvoice] { invoices.filter(\.isOpen) }
}

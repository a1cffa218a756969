import Foundation
import PosPlusCore

/// Money the forecast expects on one local date, where it comes from, and why that date.
public struct ExpectedInflow: Equatable, Sendable {
    public enum Source: Equatable, Sendable {
        /// What is left of an open invoice's balance, dated by its client's history.
        case invoice(id: String, number: String)
        /// A scheduled inflow (a plan instalment, a pending ACH debit).
        case scheduled(ScheduledInflow.Kind, reference: String)
    }

    /// Local midnight of the expected date.
    public var date: Date
    /// Local days from today (0: today).
    public var dayOffset: Int
    public var amount: Money
    public var source: Source
    public var clientName: String?
    /// One sentence: why this date.
    public var reason: String

    public var isScheduled: Bool {
        if case .scheduled = source { return true }
        return false
    }
}

/// An open invoice the forecast does not count on, and why (disputed, or long past due).
public struct DoubtfulInvoice: Equatable, Sendable {
    public var invoiceID: String
    public var number: String
    public var clientName: String
    public var balance: Money
    public var reason: String
}

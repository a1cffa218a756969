import Foundation
import GRDB
import PosPlusCore

/// Which payments a list shows: the day's payments at the counter, one invoice's, one person's,
/// those in doubt. Every field narrows the list; an empty filter is the newest payments.
public struct PaymentFilter: Equatable, Sendable {
    /// Only these states (nil: any).
    public var states: Set<PaymentState>?
    /// Created at or after this moment.
    public var createdFrom: Date?
    /// Created before this moment (exclusive, so consecutive days do not overlap).
    public var createdBefore: Date?
    /// Only payments on this Jobber invoice number (charges and their voids and refunds).
    public var invoiceNumber: String?
    /// Only payments this person asked for (compared without regard to case, as staff names are).
    public var operatorName: String?
    /// At most this many, newest first.
    public var limit: Int

    public init(
        states: Set<PaymentState>? = nil, createdFrom: Date? = nil, createdBefore: Date? = nil, invoiceNumber: String? = nil,
        operatorName: String? = nil, limit: Int = 100
    ) {
        self.states = states
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.invoiceNumber = invoiceNumber
        self.operatorName = operatorName
        self.limit = limit
    }
}

extension Ledger {
    /// The payments `filter` admits, newest first.
    public func payments(matching filter: PaymentFilter) throws -> [PaymentRecord] {
        try read { db in
            var request = PaymentRecord.order(Column("id").desc).limit(filter.limit)
            if let states = filter.states { request = request.filter(states.map(\.rawValue).contains(Column("state"))) }
            if let from = filter.createdFrom { request = request.filter(Column("createdAt") >= DatabaseTime.text(from)) }
            if let before = filter.createdBefore { request = request.filter(Column("createdAt") < DatabaseTime.text(before)) }
            if let number = filter.invoiceNumber { request = request.filter(Column("invoiceNumber") == number) }
            if let name = filter.operatorName { request = request.filter(Column("operator").collating(.nocase) == name) }
            return try request.fetchAll(db)
        }
    }
}

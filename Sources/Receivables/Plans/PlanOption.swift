import Foundation
import PosPlusCore

/// One way to pay an invoice over time, as proposed: its instalments with amounts and dates.
public struct PlanOption: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable, Codable {
        /// Equal instalments, the remainder on the last.
        case instalments
        /// A deposit now, the rest later.
        case depositAndRest
    }

    /// One payment of the plan.
    public struct Instalment: Equatable, Sendable {
        /// 1 for the first.
        public var number: Int
        public var amount: Money
        public var dueAt: Date

        public init(number: Int, amount: Money, dueAt: Date) {
            self.number = number
            self.amount = amount
            self.dueAt = dueAt
        }
    }

    /// 1, 2, 3: how staff name the option they accept.
    public var number: Int
    public var kind: Kind
    public var instalments: [Instalment]
    /// "3 instalments every 14 days: $411.52, $411.52, $411.52".
    public var summary: String

    public init(number: Int, kind: Kind, instalments: [Instalment], summary: String) {
        self.number = number
        self.kind = kind
        self.instalments = instalments
        self.summary = summary
    }

    public var total: Money {
        // The parts of a split of one amount: their sum is that amount, so it cannot overflow.
        Money(
            minorUnits: instalments.reduce(Int64(0)) { $0 + $1.amount.minorUnits },
            currency: instalments.first?.amount.currency ?? .usd)
    }
}

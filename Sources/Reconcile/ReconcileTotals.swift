import Foundation
import PosPlusCore

/// One day's money as each side counts it: what a bookkeeper compares at a glance before
/// reading the exceptions. Days are the business's calendar days of each record's own date.
public struct ReconcileTotals: Sendable, Equatable, Codable {
    public struct Figures: Sendable, Equatable, Codable {
        public var count = 0
        public var grossMinor: Int64 = 0
        public var refundsMinor: Int64 = 0
        /// Disputed money taken back (the processor side only).
        public var disputesMinor: Int64 = 0
        /// The processor's fees (the processor side only).
        public var feesMinor: Int64 = 0
        public var netMinor: Int64 { grossMinor &- refundsMinor &- disputesMinor &- feesMinor }
    }

    public var day: String
    public var currency: String
    public var ledger = Figures()
    public var processor = Figures()
    public var terminals = Figures()
    public var jobber = Figures()

    /// Per day and currency, oldest first. Money already moved, so sums saturate rather than trap.
    public static func perDay(_ sides: ReconcileSides, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> [ReconcileTotals] {
        let dayText = { (date: Date) in Self.dayText(date, in: timeZone) }
        var days: [String: ReconcileTotals] = [:]
        func add(_ date: Date?, _ amount: Money, refunded: Money?, to side: WritableKeyPath<ReconcileTotals, Figures>) {
            guard let date else { return }
            let key = "\(dayText(date)) \(amount.currency.code)"
            var totals = days[key] ?? ReconcileTotals(day: dayText(date), currency: amount.currency.code)
            totals[keyPath: side].count += 1
            totals[keyPath: side].grossMinor = saturating(totals[keyPath: side].grossMinor, amount.minorUnits)
            totals[keyPath: side].refundsMinor = saturating(totals[keyPath: side].refundsMinor, refunded?.minorUnits ?? 0)
            days[key] = totals
        }
        for payment in sides.ledger where payment.standing == .taken || payment.standing == .clearing {
            add(payment.date, payment.captured, refunded: payment.refunded, to: \.ledger)
        }
        for payment in sides.processor where payment.succeeded && payment.reference != nil {
            add(payment.date, payment.captured, refunded: payment.refunded, to: \.processor)
        }
        for entry in sides.processorBalance {
            let key = "\(dayText(entry.date)) \(entry.fee.currency.code)"
            var totals = days[key] ?? ReconcileTotals(day: dayText(entry.date), currency: entry.fee.currency.code)
            totals.processor.feesMinor = saturating(totals.processor.feesMinor, entry.fee.minorUnits)
            if entry.kind == .dispute {
                totals.processor.disputesMinor = saturating(totals.processor.disputesMinor, -entry.amount.minorUnits)
            }
            days[key] = totals
        }
        let dates = Dictionary(sides.ledger.map { ($0.reference, $0.date) }) { first, _ in first }
        for record in sides.terminals ?? [] where record.approved {
            add(record.date ?? dates[record.reference], record.amount, refunded: nil, to: \.terminals)
        }
        for invoice in sides.jobber {
            for record in invoice.records { add(record.date, record.amount, refunded: nil, to: \.jobber) }
        }
        return days.values.sorted { ($0.day, $0.currency) < ($1.day, $1.currency) }
    }

    static func dayText(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Money already moved: a sum that would overflow is held at the limit rather than trap.
    static func saturating(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}

/// One payout as the bank will see it, broken down into what it pays out.
public struct PayoutTotals: Sendable, Equatable, Codable {
    public var payout: String
    public var status: String
    /// The day it reaches (or reached) the bank, in the business's time zone.
    public var arrival: String
    public var currency: String
    public var figures: ReconcileTotals.Figures
    /// What the processor says it sent; equal to `figures.netMinor` when the breakdown is whole.
    public var amountMinor: Int64

    public static func perPayout(_ sides: ReconcileSides, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> [PayoutTotals] {
        sides.payouts.map { payout in
            var figures = ReconcileTotals.Figures()
            for entry in payout.entries where entry.amount.currency == payout.amount.currency {
                switch entry.kind {
                case .charge:
                    figures.count += 1
                    figures.grossMinor = ReconcileTotals.saturating(figures.grossMinor, entry.amount.minorUnits)
                case .refund: figures.refundsMinor = ReconcileTotals.saturating(figures.refundsMinor, -entry.amount.minorUnits)
                case .dispute: figures.disputesMinor = ReconcileTotals.saturating(figures.disputesMinor, -entry.amount.minorUnits)
                case .other: figures.grossMinor = ReconcileTotals.saturating(figures.grossMinor, entry.amount.minorUnits)
                }
                figures.feesMinor = ReconcileTotals.saturating(figures.feesMinor, entry.fee.minorUnits)
            }
            return PayoutTotals(
                payout: payout.id, status: payout.status, arrival: ReconcileTotals.dayText(payout.arrival, in: timeZone),
                currency: payout.amount.currency.code, figures: figures, amountMinor: payout.amount.minorUnits)
        }
    }
}

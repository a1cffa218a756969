import Foundation
import Ledger
import PosPlusCore

/// A day's money at the counter, added up from the ledger to the cent: what was taken, what was
/// given back, and the net — for the whole day, per terminal (or gateway) and per way of paying.
///
/// What counts, so the front desk's drawer and the manager's sheet agree with the ledger:
/// - a charge created that day that holds money (approved, partly approved, pending at the
///   bank, partly or wholly refunded since, settled) counts its captured amount as taken;
/// - a refund created that day and approved counts as refunded, under its own channel and under
///   the way the original was paid (a refund today of yesterday's sale lowers today's net, as
///   the money left today);
/// - a voided charge took nothing (counted as voided, not taken); a charge returned by the bank
///   likewise takes nothing; declines and payments whose answer is not known yet are counted so
///   the page can say so, never added to money.
///
/// Amounts are integer minor units in the business's currency; a payment in another currency is
/// counted in `otherCurrency` and left out of the sums rather than added to the wrong money.
struct PaymentTotals: Encodable {
    /// One row of totals: the whole day, one channel or one way of paying.
    struct Line: Encodable {
        /// The channel's name or the method's key (`card`, `keyed`, `ach`, `savedCard`); `all` for the day.
        var key: String
        /// Words for the page.
        var label: String
        var charges = 0
        var taken: AmountView
        var refunds = 0
        var refunded: AmountView
        var voided = 0
        var net: AmountView

        fileprivate var takenMinor: Int64 = 0
        fileprivate var refundedMinor: Int64 = 0

        enum CodingKeys: String, CodingKey { case key, label, charges, taken, refunds, refunded, voided, net }

        init(key: String, label: String, currency: Currency) {
            self.key = key
            self.label = label
            let zero = AmountView(Money.zero(currency))
            (taken, refunded, net) = (zero, zero, zero)
        }

        mutating func take(_ minor: Int64, currency: Currency) {
            charges += 1
            takenMinor += minor
            settle(currency)
        }

        mutating func giveBack(_ minor: Int64, currency: Currency) {
            refunds += 1
            refundedMinor += minor
            settle(currency)
        }

        private mutating func settle(_ currency: Currency) {
            taken = AmountView(Money(minorUnits: takenMinor, currency: currency))
            refunded = AmountView(Money(minorUnits: refundedMinor, currency: currency))
            net = AmountView(Money(minorUnits: takenMinor - refundedMinor, currency: currency))
        }
    }

    /// `YYYY-MM-DD` in `timeZone`.
    var day: String
    var timeZone: String
    var from: Date
    var until: Date
    var currency: String
    var all: Line
    var byTerminal: [Line]
    var byMethod: [Line]
    /// Charges declined that day: nothing taken.
    var declined = 0
    /// Payments whose answer posplus is still finding out: not added to any sum yet.
    var notSureYet = 0
    /// Payments in another currency than the business's: left out of the sums.
    var otherCurrency = 0

    /// The way a charge was paid, as the page groups it.
    static func method(of operation: PaymentOperation) -> (key: String, label: String) {
        switch operation {
        case .sale, .deposit: ("card", "Card at the terminal")
        case .keyedSale: ("keyed", "Card number keyed in")
        case .achDebit: ("ach", "Bank debit (ACH)")
        case .tokenSale: ("savedCard", "Saved card")
        case .void, .refund, .tokenize: ("other", "Other")
        }
    }

    /// Adds up `payments` (all created in the window); `original` finds a refund's charge, which
    /// may be from an earlier day; `terminals` are the configured terminal names (any other
    /// channel is a gateway, labelled as online).
    init(
        payments: [PaymentRecord], day: String, timeZone: TimeZone, from: Date, until: Date, currency: Currency,
        terminals: Set<String>, original: (Int64) throws -> PaymentRecord?
    ) rethrows {
        self.day = day
        self.timeZone = timeZone.identifier
        self.from = from
        self.until = until
        self.currency = currency.code
        all = Line(key: "all", label: "The whole day", currency: currency)
        var channels: [String: Line] = [:]
        var methods: [String: Line] = [:]
        func line(_ lines: inout [String: Line], _ key: String, _ label: String) -> Line {
            lines[key] ?? Line(key: key, label: label, currency: currency)
        }
        for payment in payments {
            guard payment.currency == currency else {
                otherCurrency += 1
                continue
            }
            let channelLabel = terminals.contains(payment.channel) ? "Terminal \(payment.channel)" : "\(payment.channel) (online)"
            if payment.operation.collectsMoney {
                switch payment.state {
                case .approved, .partiallyApproved, .pending, .partiallyRefunded, .refunded, .settled:
                    let (key, label) = Self.method(of: payment.operation)
                    all.take(payment.capturedMinor, currency: currency)
                    channels[payment.channel] = line(&channels, payment.channel, channelLabel)
                    channels[payment.channel]?.take(payment.capturedMinor, currency: currency)
                    methods[key] = line(&methods, key, label)
                    methods[key]?.take(payment.capturedMinor, currency: currency)
                case .voided:
                    all.voided += 1
                    let (key, label) = Self.method(of: payment.operation)
                    channels[payment.channel] = line(&channels, payment.channel, channelLabel)
                    channels[payment.channel]?.voided += 1
                    methods[key] = line(&methods, key, label)
                    methods[key]?.voided += 1
                case .declined: declined += 1
                case .intended, .sent, .unknown: notSureYet += 1
                case .abandoned, .returned: break
                }
            } else if payment.operation == .refund {
                switch payment.state {
                case .approved:
                    let charge = try payment.originalPaymentID.flatMap(original)
                    let (key, label) = Self.method(of: charge?.operation ?? .sale)
                    all.giveBack(payment.capturedMinor, currency: currency)
                    channels[payment.channel] = line(&channels, payment.channel, channelLabel)
                    channels[payment.channel]?.giveBack(payment.capturedMinor, currency: currency)
                    methods[key] = line(&methods, key, label)
                    methods[key]?.giveBack(payment.capturedMinor, currency: currency)
                case .intended, .sent, .unknown: notSureYet += 1
                default: break
                }
            }
        }
        byTerminal = channels.values.sorted { $0.key < $1.key }
        let order = ["card", "keyed", "savedCard", "ach", "other"]
        byMethod = methods.values.sorted { (order.firstIndex(of: $0.key) ?? 9) < (order.firstIndex(of: $1.key) ?? 9) }
    }
}

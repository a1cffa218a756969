import Foundation
import Jobber
import Ledger
import PosPlusCore
import Receivables

/// Why a forecast could not be made, in words for the person who asked.
public enum ForecastError: Error, Equatable, CustomStringConvertible {
    /// Jobber is not configured or not connected: without its invoices there is nothing to forecast.
    case unavailable(String)
    case jobber(String)
    case arithmetic(String)

    public var description: String {
        switch self {
        case .unavailable(let why): return "The forecast needs Jobber's invoices: \(why)"
        case .jobber(let why): return "Jobber's invoices could not be read: \(why)"
        case .arithmetic(let why): return "The forecast could not be added up: \(why)"
        }
    }
}

/// A forecast and what it was made from.
public struct ForecastReport: Sendable {
    public var outlook: ReceivablesOutlook
    public var rules: ForecastRules
    /// Invoices read from Jobber (drafts included).
    public var invoicesRead: Int
    /// Invoices marked paid in Jobber whose payment records do not cover the total (marked
    /// received without a payment): their paid date is unknown, so no history counts them.
    public var leftOut: [String]
    public var scheduled: [ScheduledInflow]
}

/// Gathers what the cash-flow forecast needs — Jobber's open invoices and last year's, the
/// ledger's pending ACH debits, and scheduled inflows — and runs the rules
/// (``ReceivablesOutlook``) in the business's time zone.
///
/// Read-only: it changes nothing anywhere, so it has no `off|suggest|auto` mode of its own.
public struct ForecastService: Sendable {
    /// Jobber's open invoices and those issued after the date (``JobberInvoices/receivables(issuedAfter:)``).
    public typealias ReceivablesSource = @Sendable (_ issuedAfter: Date) async throws -> [JobberReceivable]
    /// Inflows already scheduled as of the date.
    public typealias ScheduledSource = @Sendable (_ now: Date) async throws -> [ScheduledInflow]

    let receivables: ReceivablesSource
    let ledger: Ledger
    let timeZone: TimeZone
    let currency: Currency
    let now: @Sendable () -> Date
    /// The seam for payment plans: their accepted plans' unpaid instalments. None until they exist.
    public var scheduledInflows: ScheduledSource = { _ in [] }
    /// Business days an ACH debit takes to settle: Stripe quotes up to 4 for `us_bank_account`.
    public var achSettlementBusinessDays = 4

    public init(
        receivables: @escaping ReceivablesSource, ledger: Ledger, timeZone: TimeZone, currency: Currency,
        now: @escaping @Sendable () -> Date
    ) {
        self.receivables = receivables
        self.ledger = ledger
        self.timeZone = timeZone
        self.currency = currency
        self.now = now
    }

    public func report(rules: ForecastRules = ForecastRules()) async throws -> ForecastReport {
        let asOf = now()
        let days = LocalDays(timeZone: timeZone)
        let read: [JobberReceivable]
        do { read = try await receivables(days.day(-366, after: asOf)) } catch let error as JobberError {
            throw ForecastError.jobber(error.description)
        }
        var invoices: [ReceivableInvoice] = []
        var leftOut: [String] = []
        for receivable in read {
            guard var invoice = try Self.invoice(receivable) else { continue }
            try countCollected(into: &invoice)
            if case .paid = receivable.invoice.status, invoice.paidAt == nil {
                leftOut.append(receivable.invoice.number)
                continue
            }
            invoices.append(invoice)
        }
        let scheduled = try pendingACH(days: days) + (try await scheduledInflows(asOf))
        do {
            let outlook = try ReceivablesOutlook(
                invoices: invoices, scheduled: scheduled, asOf: asOf, timeZone: timeZone, currency: currency, rules: rules)
            return ForecastReport(outlook: outlook, rules: rules, invoicesRead: read.count, leftOut: leftOut, scheduled: scheduled)
        } catch { throw ForecastError.arithmetic(error.description) }
    }

    /// Jobber's invoice as the rules read it; nil for a draft (not billed yet). Only a payable
    /// invoice has a balance to forecast: a paid or bad-debt one keeps its history only.
    static func invoice(_ receivable: JobberReceivable) throws -> ReceivableInvoice? {
        let snapshot = receivable.invoice
        guard let issued = receivable.issuedDate, snapshot.status != .draft else { return nil }
        let payments = try receivable.paymentRecords.map { record in
            guard let date = JobberDate.parse(record.entryDate) else {
                throw ForecastError.jobber("payment record \(record.id) has entryDate \(record.entryDate), not a date")
            }
            return ReceivableInvoice.Payment(date: date, amount: record.amount)
        }
        return ReceivableInvoice(
            id: snapshot.id, number: snapshot.number, clientID: snapshot.clientID, clientName: snapshot.clientName, issued: issued,
            due: receivable.dueDate, total: snapshot.total,
            balance: snapshot.status.isPayable ? snapshot.balance : .zero(snapshot.total.currency),
            payments: payments)
    }

    /// Money posplus took on an open invoice that Jobber does not count yet (its public API
    /// records a posplus payment only as a note): taken off the balance and added to the
    /// invoice's payments, so a customer who paid a link an hour ago is neither forecast to pay
    /// again nor chased. A pending bank debit is left to ``pendingACH(days:)``, which expects it.
    /// A card dispute open on one of its payments marks it disputed (Jobber has no disputes):
    /// it is neither counted on nor chased, and counts against the client's standing.
    func countCollected(into invoice: inout ReceivableInvoice) throws {
        let standing = try ledger.standing(invoiceID: invoice.id)
        if !standing.disputes.isEmpty { invoice.disputed = true }
        guard invoice.isOpen else { return }
        let inHand = standing.standing.filter { $0.state != .pending && $0.jobberRecordID == nil }
        for payment in inHand {
            let held = payment.capturedMinor - payment.refundedMinor
            guard held > 0, payment.currency == invoice.balance.currency else { continue }
            let taken = min(held, invoice.balance.minorUnits)
            invoice.balance = Money(minorUnits: invoice.balance.minorUnits - taken, currency: invoice.balance.currency)
            invoice.payments.append(.init(date: payment.updatedAt, amount: Money(minorUnits: taken, currency: payment.currency)))
        }
    }

    /// ACH debits sent and not settled: Jobber still shows their invoices unpaid (a bank debit
    /// is written back when it settles), so each is an inflow against its invoice, expected
    /// ``achSettlementBusinessDays`` business days after it was made.
    func pendingACH(days: LocalDays) throws -> [ScheduledInflow] {
        try ledger.payments(matching: PaymentFilter(states: [.pending], limit: 10_000)).filter { $0.operation == .achDebit }.map {
            payment in
            ScheduledInflow(
                date: Self.businessDays(achSettlementBusinessDays, after: payment.createdAt, days: days),
                amount: payment.captured.isPositive ? payment.captured : payment.requested, kind: .pendingACH,
                reference: "payment \(payment.id)" + (payment.invoiceNumber.map { ", invoice #\($0)" } ?? ""), invoiceID: payment.invoiceID)
        }
    }

    /// `count` weekdays after `date`'s local date (bank holidays are not known here).
    static func businessDays(_ count: Int, after date: Date, days: LocalDays) -> Date {
        var day = days.startOfDay(date)
        var left = count
        while left > 0 {
            day = days.day(1, after: day)
            let weekday = days.calendar.component(.weekday, from: day)
            if weekday != 1 && weekday != 7 { left -= 1 }
        }
        return day
    }
}

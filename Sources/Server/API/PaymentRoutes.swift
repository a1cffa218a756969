import Bridge
import Foundation
import Hummingbird
import Ledger
import PosPlusCore

/// The payments in the ledger: the day's list at the counter, and one payment with its attempts.
struct PaymentRoutes: Sendable {
    let app: PosPlusApp

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/payments", .permission(.viewPayments))) { call in
                let payments = try app.ledger().payments(matching: try filter(call))
                return call.json(Payments(payments: payments.map { PaymentView($0) }))
            },
            APIEndpoint(APIRoute(.get, "/api/payments/totals", .permission(.viewPayments))) { call in
                call.json(try totals(call))
            },
            APIEndpoint(APIRoute(.get, "/api/payments/{id}", .permission(.viewPayments))) { call in
                let id = try call.id(of: "payment")
                let ledger = try app.ledger()
                guard let payment = try ledger.payment(id: id) else { throw LedgerError.paymentNotFound("\(id)") }
                return call.json(
                    PaymentView(payment, attempts: try ledger.attempts(paymentID: id), disputes: try ledger.disputes(paymentID: id)))
            },
        ]
    }

    struct Payments: Encodable { var payments: [PaymentView] }

    /// `?day=today` (or `YYYY-MM-DD`) in the business's time zone (`reconcile.time_zone`), or
    /// `?since=`/`?until=` as ISO 8601 times; `?state=` (repeatable), `?invoice=`, `?operator=`,
    /// `?limit=` (1 to 500, default 50).
    func filter(_ call: APICall) throws -> PaymentFilter {
        var filter = PaymentFilter(limit: 50)
        if let limit = call.query("limit") {
            guard let value = Int(limit), (1...500).contains(value) else { throw Self.refusal("\"limit\" takes 1 to 500.") }
            filter.limit = value
        }
        let states = call.queryAll("state")
        if !states.isEmpty {
            filter.states = Set(
                try states.map { text in
                    guard let state = PaymentState(rawValue: text) else {
                        throw Self.refusal(
                            "\"\(text.prefix(40))\" is not a payment state; one of \(PaymentState.allCases.map(\.rawValue).joined(separator: ", "))."
                        )
                    }
                    return state
                })
        }
        if let day = call.query("day") {
            guard call.query("since") == nil, call.query("until") == nil else {
                throw Self.refusal("Give a \"day\", or \"since\" and \"until\", not both.")
            }
            (filter.createdFrom, filter.createdBefore) = try window(day)
        } else {
            filter.createdFrom = try call.query("since").map { try Self.time($0, "since") }
            filter.createdBefore = try call.query("until").map { try Self.time($0, "until") }
        }
        filter.invoiceNumber = try call.query("invoice").map { try APIInput.invoiceNumber($0) }
        if let name = call.query("operator") {
            do { filter.operatorName = try OperatorName(name).rawValue } catch { throw Self.refusal("\"operator\": \(error.description)") }
        }
        return filter
    }

    /// `?day=today` (the default) or `YYYY-MM-DD`: the day's totals (``PaymentTotals``), from every
    /// payment of the day, not a page of the list, so they match the ledger however busy the day.
    func totals(_ call: APICall) throws -> PaymentTotals {
        let day = call.query("day") ?? "today"
        let (from, until) = try window(day)
        let ledger = try app.ledger()
        let payments = try ledger.payments(matching: PaymentFilter(createdFrom: from, createdBefore: until, limit: .max))
        let zone = app.config.reconcile.timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: from)
        let name = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return try PaymentTotals(
            payments: payments, day: name, timeZone: zone, from: from, until: until, currency: app.config.currency,
            terminals: Set(app.config.terminals.map(\.name)), original: { try ledger.payment(id: $0) })
    }

    /// The day from its first moment to the next day's, where the business is.
    func window(_ text: String) throws -> (Date, Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = app.config.reconcile.timeZone
        let start: Date
        if text == "today" {
            start = calendar.startOfDay(for: try app.ledger().now())
        } else {
            let parts = text.split(separator: "-").map { Int($0) }
            guard text.count == 10, parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
                let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
                calendar.component(.day, from: date) == day
            else { throw Self.refusal("\"day\" takes today or a date as YYYY-MM-DD, not \"\(text.prefix(40))\".") }
            start = date
        }
        guard let end = calendar.date(byAdding: .day, value: 1, to: start) else { throw Self.refusal("\"day\" is out of range.") }
        return (start, end)
    }

    static func time(_ text: String, _ field: String) throws -> Date {
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw refusal("\"\(field)\" takes an ISO 8601 time such as 2026-12-01T09:00:00Z, not \"\(text.prefix(40))\".")
        }
        return date
    }

    static func refusal(_ sentence: String) -> APIError { APIError(.badRequest, code: "invalid_request", message: sentence) }
}

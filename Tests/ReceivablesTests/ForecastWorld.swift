import Foundation
import PosPlusCore
import Receivables

/// Hand-made invoices for the forecast, DSO and chase tests, in one time zone, with amounts
/// whose sums are worked out by hand in the tests.
struct ForecastWorld {
    let zone: TimeZone
    let days: LocalDays

    init(_ identifier: String = "America/Chicago") {
        zone = TimeZone(identifier: identifier)!
        days = LocalDays(timeZone: zone)
    }

    func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 12) -> Date {
        days.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour))!
    }

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    /// An invoice of `client`; `paid` lists (date, minor units) payments; balance is what is left.
    func invoice(
        _ number: String, client: String, issued: Date, due: Date?, total: Int64, paid: [(Date, Int64)] = [], disputed: Bool = false
    ) -> ReceivableInvoice {
        let payments = paid.map { ReceivableInvoice.Payment(date: $0.0, amount: usd($0.1)) }
        let left = total - paid.reduce(0) { $0 + $1.1 }
        return ReceivableInvoice(
            id: "id-\(number)", number: number, clientID: client, clientName: client.capitalized, issued: issued, due: due,
            total: usd(total),
            balance: usd(max(0, left)), payments: payments, disputed: disputed)
    }
}

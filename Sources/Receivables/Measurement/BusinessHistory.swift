import Foundation
import PosPlusCore

/// A year of a small home-service business's billing, generated from a seed: the history the
/// forecast, DSO, chase, payment-plan and demo work is tested on.
///
/// **This is a model, not measured data.** Its assumptions, stated so they can be argued with:
/// - 60 clients. Habits (``GeneratedBusiness/PaymentHabit``): half prompt, 30 % typical, 15 %
///   late, 5 % very late (3 clients). Terms per client: 60 % net 30, 40 % net 15.
/// - Each client gets 3 to 17 invoices in the year (uniform: about 600 in all), issued on
///   weekdays (a weekend date moves to Monday) between 09:00 and 17:00 local.
/// - Amounts in whole cents: 60 % small jobs ($90–$400), 30 % medium ($400–$1,500), 10 % large
///   ($1,500–$6,000), uniform within each band.
/// - Paid, counted from the issue date: prompt clients 0 to (net − 3) days; typical ones from a
///   week before to 10 days after the due date; late ones 5 to 40 days after it; very late ones
///   45 to 150 days after it, and one invoice in five of theirs is never paid.
/// - One paid invoice in ten is paid in two parts: half (rounded down to the cent) on a day
///   between issue and the final payment, the rest on the final day.
/// - One payment in twelve is preceded by a card decline 1 to 5 days before it (insufficient
///   funds 60 %, do not honor 20 %, expired card 20 %); an unpaid invoice of a very late
///   client has one in three.
/// - Two invoices are disputed: the largest open ones of the latest-paying clients.
/// - The year is read on its last day at 18:00 local (``GeneratedBusiness/asOf``): payments
///   after that are hidden in ``GeneratedBusiness/laterPayments``.
public enum BusinessHistory {
    public static func generate(
        seed: UInt64, year: Int = 2026, clients clientCount: Int = 60, timeZone: TimeZone, currency: Currency = .usd
    ) -> GeneratedBusiness {
        var random = SplitMix64(seed: seed)
        let days = LocalDays(timeZone: timeZone)
        let newYear = days.calendar.date(from: DateComponents(year: year, month: 1, day: 1))!
        let lastDay = days.calendar.date(from: DateComponents(year: year, month: 12, day: 31, hour: 18))!
        let daysInYear = days.between(newYear, lastDay) + 1
        let clients = (0..<clientCount).map { index in drawClient(index, &random) }

        var invoices: [ReceivableInvoice] = []
        var declines: [GeneratedBusiness.Decline] = []
        var later: [String: [ReceivableInvoice.Payment]] = [:]
        var drafts: [(client: GeneratedBusiness.Client, issued: Date)] = []
        for client in clients {
            for _ in 0..<Int.random(in: 3...17, using: &random) {
                var day = days.day(Int.random(in: 0..<daysInYear, using: &random), after: newYear)
                let weekday = days.calendar.component(.weekday, from: day)
                if weekday == 7 { day = days.day(2, after: day) } else if weekday == 1 { day = days.day(1, after: day) }
                let issued = days.calendar.date(
                    bySettingHour: Int.random(in: 9..<17, using: &random), minute: Int.random(in: 0..<60, using: &random), second: 0,
                    of: day)!
                drafts.append((client, issued))
            }
        }
        drafts.sort { $0.issued < $1.issued }
        for (index, draft) in drafts.enumerated() {
            let client = draft.client
            let number = String(1001 + index)
            let id = "inv-\(number)"
            let total = Money(minorUnits: drawAmount(&random), currency: currency)
            let due = days.day(client.netDays, after: draft.issued)
            var payments: [ReceivableInvoice.Payment] = []
            if let payDay = drawPayDay(client, &random) {
                let final = at(days.day(payDay, after: draft.issued), hour: Int.random(in: 8..<19, using: &random), days)
                if Int.random(in: 0..<10, using: &random) == 0, payDay >= 2 {
                    let half = Money(minorUnits: total.minorUnits / 2, currency: currency)
                    let first = at(days.day(Int.random(in: 0..<payDay, using: &random), after: draft.issued), hour: 12, days)
                    payments = [
                        .init(date: first, amount: half),
                        .init(date: final, amount: Money(minorUnits: total.minorUnits - half.minorUnits, currency: currency)),
                    ]
                } else {
                    payments = [.init(date: final, amount: total)]
                }
                if Int.random(in: 0..<12, using: &random) == 0 {
                    declines.append(
                        .init(
                            invoiceID: id, clientID: client.id,
                            at: final.addingTimeInterval(-86_400 * Double(Int.random(in: 1...5, using: &random))),
                            amount: payments.last!.amount, reason: drawDeclineReason(&random)))
                }
            } else if Int.random(in: 0..<3, using: &random) == 0 {
                declines.append(
                    .init(
                        invoiceID: id, clientID: client.id, at: days.day(Int.random(in: 1...20, using: &random), after: due), amount: total,
                        reason: drawDeclineReason(&random)))
            }
            let seen = payments.filter { $0.date <= lastDay }
            let hidden = payments.filter { $0.date > lastDay }
            if !hidden.isEmpty { later[id] = hidden }
            let paid = seen.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            invoices.append(
                ReceivableInvoice(
                    id: id, number: number, clientID: client.id, clientName: client.name, issued: draft.issued, due: due, total: total,
                    balance: Money(minorUnits: total.minorUnits - paid, currency: currency), payments: seen))
        }
        markDisputes(&invoices, clients: clients)
        return GeneratedBusiness(
            asOf: lastDay, timeZone: timeZone, clients: clients, invoices: invoices,
            declines: declines.filter { $0.at <= lastDay }.sorted { $0.at < $1.at },
            laterPayments: later)
    }

    static func drawClient(_ index: Int, _ random: inout SplitMix64) -> GeneratedBusiness.Client {
        let habit: GeneratedBusiness.PaymentHabit
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<50: habit = .prompt
        case 50..<80: habit = .typical
        case 80..<95: habit = .late
        default: habit = .veryLate
        }
        let name = firstNames[index % firstNames.count] + " " + lastNames[(index * 7 + index / lastNames.count) % lastNames.count]
        return .init(
            id: "client-\(index + 1)", name: name, habit: habit, netDays: Int.random(in: 0..<10, using: &random) < 6 ? 30 : 15)
    }

    static func drawAmount(_ random: inout SplitMix64) -> Int64 {
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<6: return Int64.random(in: 9_000...40_000, using: &random)
        case 6..<9: return Int64.random(in: 40_000...150_000, using: &random)
        default: return Int64.random(in: 150_000...600_000, using: &random)
        }
    }

    /// Days from issue to final payment; nil: never paid.
    static func drawPayDay(_ client: GeneratedBusiness.Client, _ random: inout SplitMix64) -> Int? {
        let net = client.netDays
        switch client.habit {
        case .prompt: return Int.random(in: 0...(net - 3), using: &random)
        case .typical: return net + Int.random(in: -7...10, using: &random)
        case .late: return net + Int.random(in: 5...40, using: &random)
        case .veryLate:
            let day = net + Int.random(in: 45...150, using: &random)
            return Int.random(in: 0..<5, using: &random) == 0 ? nil : day
        }
    }

    static func drawDeclineReason(_ random: inout SplitMix64) -> DeclineReason {
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<6: return .insufficientFunds
        case 6..<8: return .doNotHonor
        default: return .expired
        }
    }

    static func at(_ day: Date, hour: Int, _ days: LocalDays) -> Date {
        days.calendar.date(bySettingHour: hour, minute: 0, second: 0, of: day) ?? day
    }

    /// The two largest open invoices of very late (else late) clients are disputed.
    static func markDisputes(_ invoices: inout [ReceivableInvoice], clients: [GeneratedBusiness.Client]) {
        for habits in [[GeneratedBusiness.PaymentHabit.veryLate], [.veryLate, .late]] {
            let ids = Set(clients.filter { habits.contains($0.habit) }.map(\.id))
            let candidates = invoices.indices.filter {
                invoices[$0].isOpen && ids.contains(invoices[$0].clientID) && !invoices[$0].disputed
            }
            let largest = candidates.sorted { invoices[$0].balance.minorUnits > invoices[$1].balance.minorUnits }
            for index in largest.prefix(2 - invoices.filter(\.disputed).count) { invoices[index].disputed = true }
            if invoices.filter(\.disputed).count >= 2 { return }
        }
    }

    static let firstNames = [
        "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Ken", "Radia", "Tim", "Katherine", "Dennis",
        "Hedy", "Claude", "Annie", "Niklaus", "Jean", "Vint",
    ]
    static let lastNames = [
        "Byron", "Kellogg", "Moss", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Hamilton", "Thompson", "Perlman",
    ]
}

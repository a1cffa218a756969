import Foundation
import PosPlusCore

/// The options a qualifying client is offered for one invoice: 2 instalments, 3 instalments,
/// and a deposit now with the rest later, each exact to the cent, dated on the business's
/// calendar, with the reason the client qualifies. A client who does not qualify gets no
/// options and the reason why.
public struct PlanProposer: Equatable, Sendable {
    public var eligibility: PlanEligibility
    public var calendar: InstalmentCalendar
    /// The deposit's share of the balance in the deposit-and-rest option.
    public var depositShare: Proportion

    public init(eligibility: PlanEligibility, calendar: InstalmentCalendar, depositShare: Proportion) {
        self.eligibility = eligibility
        self.calendar = calendar
        self.depositShare = depositShare
    }

    /// What is proposed for one invoice.
    public struct Proposal: Equatable, Sendable {
        public var invoiceNumber: String
        /// The balance the options split.
        public var balance: Money
        /// Empty when the client does not qualify.
        public var options: [PlanOption]
        /// Why the options are offered, or why none is.
        public var reason: String

        public init(invoiceNumber: String, balance: Money, options: [PlanOption], reason: String) {
            self.invoiceNumber = invoiceNumber
            self.balance = balance
            self.options = options
            self.reason = reason
        }

        public var qualifies: Bool { !options.isEmpty }

        public func option(_ number: Int) -> PlanOption? { options.first { $0.number == number } }
    }

    /// The proposal for `balance` on invoice `invoiceNumber`, dated as if accepted at `acceptedAt`.
    /// An option the balance is too small to split (fewer cents than instalments) is left out.
    public func propose(balance: Money, invoiceNumber: String, standing: PlanEligibility.Standing, acceptedAt: Date) -> Proposal {
        switch eligibility.judge(balance: balance, invoiceNumber: invoiceNumber, standing: standing) {
        case .refused(let reason):
            return Proposal(invoiceNumber: invoiceNumber, balance: balance, options: [], reason: reason)
        case .qualifies(let reason):
            var options: [PlanOption] = []
            for count in [2, 3] {
                if let amounts = try? InstalmentSplit.equal(balance, into: count),
                    let option = try? option(options.count + 1, .instalments, amounts, acceptedAt)
                {
                    options.append(option)
                }
            }
            if let amounts = try? InstalmentSplit.deposit(balance, share: depositShare),
                let option = try? option(options.count + 1, .depositAndRest, amounts, acceptedAt)
            {
                options.append(option)
            }
            return Proposal(invoiceNumber: invoiceNumber, balance: balance, options: options, reason: reason)
        }
    }

    private func option(_ number: Int, _ kind: PlanOption.Kind, _ amounts: [Money], _ acceptedAt: Date) throws(PlanError) -> PlanOption {
        let dates = try calendar.dueDates(count: amounts.count, from: acceptedAt)
        let instalments = zip(amounts, dates).enumerated().map { PlanOption.Instalment(number: $0 + 1, amount: $1.0, dueAt: $1.1) }
        let list = amounts.map(\.formatted).joined(separator: ", ")
        let every = "\(calendar.spacingDays) \(calendar.spacingDays == 1 ? "day" : "days")"
        let summary =
            switch kind {
            case .instalments: "\(amounts.count) instalments, every \(every), the first today: \(list)"
            case .depositAndRest:
                "A \(depositShare) deposit of \(amounts[0].formatted) today and \(amounts[1].formatted) in \(every)"
            }
        return PlanOption(number: number, kind: kind, instalments: instalments, summary: summary)
    }
}

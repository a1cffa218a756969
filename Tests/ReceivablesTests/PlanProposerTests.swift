import Foundation
import PosPlusCore
import Receivables
import Testing

@Suite struct PlanProposerTests {
    let newYork = LocalClock("America/New_York")
    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    func standing(_ onTime: Int, of whole: Int, median: Int? = 6, disputes: Int = 0, invoices: Int? = nil) throws
        -> PlanEligibility.Standing
    {
        PlanEligibility.Standing(
            onTimeShare: try Proportion(onTime, of: whole), medianDaysToPay: median, openDisputes: disputes,
            invoiceCount: invoices ?? whole)
    }

    func proposer(spacing: Int = 14, deposit: Int = 30) throws -> PlanProposer {
        PlanProposer(
            eligibility: .standard(in: .usd), calendar: try InstalmentCalendar(spacingDays: spacing, timeZone: newYork.zone),
            depositShare: try Proportion(percent: deposit))
    }

    @Test func aGoodPayerIsOfferedThreeOptionsWithAmountsDatesAndTheReason() throws {
        let accepted = newYork.at(2026, 12, 3, 11, 0)
        let proposal = try proposer().propose(
            balance: usd(100_000), invoiceNumber: "1043", standing: try standing(9, of: 10), acceptedAt: accepted)
        #expect(proposal.reason == "Client has paid 9 of 10 invoices on time, median 6 days; no open disputes.")
        #expect(proposal.options.map(\.number) == [1, 2, 3])
        #expect(proposal.options.map(\.kind) == [.instalments, .instalments, .depositAndRest])
        let three = try #require(proposal.option(2))
        #expect(three.instalments.map(\.amount) == [usd(33_333), usd(33_333), usd(33_334)])
        #expect(three.instalments.map(\.dueAt) == [accepted, newYork.at(2026, 12, 17, 10, 0), newYork.at(2026, 12, 31, 10, 0)])
        #expect(three.summary == "3 instalments, every 14 days, the first today: $333.33, $333.33, $333.34")
        let deposit = try #require(proposal.option(3))
        #expect(deposit.instalments.map(\.amount) == [usd(30_000), usd(70_000)])
        #expect(deposit.summary == "A 30% deposit of $300.00 today and $700.00 in 14 days")
        #expect(proposal.options.allSatisfy { $0.total == usd(100_000) })
    }

    @Test func aBalanceNotOverTheMinimumGetsNoPlanAndSaysWhy() throws {
        let proposal = try proposer().propose(
            balance: usd(50_000), invoiceNumber: "1044", standing: try standing(10, of: 10), acceptedAt: Date())
        #expect(!proposal.qualifies)
        #expect(proposal.reason == "Invoice #1044's balance $500.00 is not over the plan minimum $500.00.")
    }

    @Test func eachRuleRefusesWithItsOwnReason() throws {
        let rules = PlanEligibility.standard(in: .usd)
        func reason(_ standing: PlanEligibility.Standing) -> PlanEligibility.Verdict {
            rules.judge(balance: usd(120_000), invoiceNumber: "7", standing: standing)
        }
        #expect(
            reason(try standing(9, of: 10, disputes: 1))
                == .refused(
                    reason:
                        "Client has paid 9 of 10 invoices on time, median 6 days; 1 open dispute. A client with an open dispute is not offered a plan."
                ))
        #expect(
            reason(try standing(2, of: 2)) == .refused(reason: "Client has 2 invoices of history; a plan needs at least 3."))
        #expect(
            reason(try standing(7, of: 10))
                == .refused(
                    reason:
                        "Client has paid 7 of 10 invoices on time, median 6 days; no open disputes. A plan needs at least 80% paid on time."
                ))
        #expect(
            reason(try standing(10, of: 10, median: 45))
                == .refused(
                    reason:
                        "Client has paid 10 of 10 invoices on time, median 45 days; no open disputes. A plan needs a median of 30 days or fewer."
                ))
        #expect(
            reason(try standing(8, of: 10))
                == .qualifies(reason: "Client has paid 8 of 10 invoices on time, median 6 days; no open disputes."))
        #expect(reason(try standing(4, of: 5, median: 1)).reason.contains("median 1 day;"))
    }

    @Test func nothingDueYetCountsAsNoRecordNotAsOnTime() throws {
        let none = try standing(0, of: 0, median: nil, invoices: 5)
        let verdict = PlanEligibility.standard(in: .usd).judge(balance: usd(60_000), invoiceNumber: "9", standing: none)
        #expect(
            verdict
                == .refused(reason: "Client has paid 0 of 0 invoices on time; no open disputes. A plan needs at least 80% paid on time."))
    }

    @Test func anOptionTheBalanceCannotSplitIsLeftOut() throws {
        var rules = try proposer(deposit: 20)
        rules.eligibility.minimumAmount = usd(1)
        let proposal = rules.propose(balance: usd(2), invoiceNumber: "1", standing: try standing(3, of: 3), acceptedAt: Date())
        #expect(proposal.options.map(\.kind) == [.instalments], "2 cents: two instalments; not three, and no 20% deposit (0.4 of a cent)")
        #expect(proposal.options.first?.instalments.map(\.amount) == [usd(1), usd(1)])
    }

    @Test func optionsTheChargeLimitsWouldRefuseAreLeftOutAndTheReasonSaysSo() throws {
        let proposal = try proposer().propose(
            balance: usd(100_000), invoiceNumber: "1043", standing: try standing(9, of: 10), acceptedAt: Date())
        let capped = proposal.keeping(within: ChargeLimits(maximum: usd(45_000)))
        #expect(capped.options.map(\.number) == [2], "3 × $333.33 fit under $450.00; 2 × $500.00 and $700.00 later do not")
        #expect(capped.reason.hasSuffix("Options with an instalment over $450.00 (the charge limits) are left out."))
        let none = proposal.keeping(within: ChargeLimits(minimum: usd(40_000), maximum: usd(45_000)))
        #expect(none.options.isEmpty && !none.qualifies)
        #expect(
            none.reason.hasSuffix(
                "But every plan has an instalment under $400.00 or over $450.00, which the charge limits refuse; none is offered."))
        #expect(proposal.keeping(within: ChargeLimits()) == proposal)
    }
}

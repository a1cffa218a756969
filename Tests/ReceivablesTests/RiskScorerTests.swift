import Foundation
import PosPlusCore
import Receivables
import Testing

/// The risk signals (issue 13, part 4), one behaviour each, at their boundaries: the scorer is
/// pure, so every case is a request, a history and the expected sentences.
@Suite("Risk: explainable signals and their score")
struct RiskScorerTests {
    let now = Date(timeIntervalSince1970: 1_796_000_000)
    let scorer = RiskScorer()

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    func request(_ minor: Int64, keyed: Bool = false, card: MaskedCard? = nil) -> RiskRequest {
        RiskRequest(amount: usd(minor), clientID: "client-1", isKeyed: keyed, card: card, at: now)
    }

    func kinds(_ request: RiskRequest, _ history: RiskHistory = RiskHistory()) -> [RiskSignal.Kind] {
        scorer.assess(request, history: history).signals.map(\.kind)
    }

    func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }

    /// A client who has paid before: three approved payments around $100.
    var regular: RiskHistory { RiskHistory(approvedAmounts: [usd(9_000), usd(10_000), usd(11_000)]) }

    @Test func aNewClientOverTheLimitIsASignalWithTheNumbersInWords() throws {
        let assessment = scorer.assess(request(120_000), history: RiskHistory())
        let signal = try #require(assessment.signals.first)
        #expect(assessment.signals.count == 1 && signal.kind == .newClient && signal.weight == 40 && assessment.score == 40)
        #expect(signal.sentence == "new client: no earlier payment on record, and $1,200.00 is over the $500.00 new-client limit")
        #expect(assessment.reason == "risk score 40: " + signal.sentence)
        #expect(assessment.signalNames == "new_client")
    }

    /// Jobber's history counts as plans count it: a client who paid an invoice there is not new;
    /// one with invoices there and none paid is, and the sentence says what was counted.
    @Test func aClientWhoPaidAnInvoiceInJobberIsNotNewAndOneWhoPaidNoneIsWithTheCount() throws {
        let days = LocalDays(timeZone: TimeZone(identifier: "America/New_York")!)
        func invoice(paid: Bool) -> ClientPaymentHistory.Invoice {
            ClientPaymentHistory.Invoice(
                id: "", issued: ago(40 * 86_400), due: ago(10 * 86_400), total: usd(0), paidAt: paid ? ago(20 * 86_400) : nil)
        }
        let payer = ClientPaymentHistory([invoice(paid: true), invoice(paid: false)], asOf: now, days: days)
        #expect(kinds(request(120_000), RiskHistory(jobber: payer)).isEmpty)
        let nonPayer = ClientPaymentHistory([invoice(paid: false), invoice(paid: false)], asOf: now, days: days)
        let signal = try #require(scorer.assess(request(120_000), history: RiskHistory(jobber: nonPayer)).signals.first)
        #expect(
            signal.sentence
                == "new client: no earlier payment on record, nor a paid invoice in Jobber (2 invoices there, none paid), and $1,200.00 "
                + "is over the $500.00 new-client limit")
        let none = ClientPaymentHistory([], asOf: now, days: days)
        #expect(
            scorer.assess(request(120_000), history: RiskHistory(jobber: none)).signals.first?.sentence.contains(
                "(0 invoices there, none paid)")
                == true)
    }

    @Test func aNewClientAtTheLimitOrWithAnEarlierPaymentIsNot() {
        #expect(kinds(request(50_000)).isEmpty, "at the limit is not over it")
        #expect(kinds(request(50_001)) == [.newClient])
        #expect(kinds(request(120_000), RiskHistory(approvedAmounts: [usd(40_000)])).isEmpty)
        // A payment in another currency says nothing about this one: still new.
        let cad = RiskHistory(approvedAmounts: [Money(minorUnits: 40_000, currency: .cad)])
        #expect(kinds(request(120_000), cad) == [.newClient])
    }

    @Test func theThirdSmallChargeInTheWindowIsCardTesting() throws {
        let two = RiskHistory(
            approvedAmounts: [usd(500)], recentCharges: [.init(amount: usd(100), at: ago(60)), .init(amount: usd(1_000), at: ago(599))])
        let assessment = scorer.assess(request(200), history: two)
        let signal = try #require(assessment.signals.first)
        #expect(assessment.signals.map(\.kind) == [.cardTesting] && assessment.score == 60)
        #expect(
            signal.sentence
                == "several small charges: this is charge 3 of $10.00 or less on this client within 10 minutes, which is how stolen cards are tried out"
        )
    }

    @Test func cardTestingCountsOnlySmallChargesInsideTheWindow() {
        let earlier: [RiskHistory.Charge] = [
            .init(amount: usd(100), at: ago(60)),
            .init(amount: usd(1_001), at: ago(30)),  // not small
            .init(amount: usd(100), at: ago(601)),  // before the window
        ]
        let history = RiskHistory(approvedAmounts: [usd(500)], recentCharges: earlier)
        #expect(kinds(request(200), history).isEmpty, "one small one in the window and this one make two")
        #expect(
            kinds(request(1_001), RiskHistory(approvedAmounts: [usd(500)], recentCharges: Array(repeating: earlier[0], count: 5))).isEmpty,
            "a charge that is not small is never card testing")
        let atEdge = RiskHistory(
            approvedAmounts: [usd(500)], recentCharges: [.init(amount: usd(1_000), at: ago(600)), .init(amount: usd(1), at: ago(1))])
        #expect(kinds(request(1_000), atEdge) == [.cardTesting], "$10.00 is small, and the window's first second counts")
    }

    @Test func keyedEntryAboveTheLimit() throws {
        let history = RiskHistory(approvedAmounts: [usd(50_000)])
        #expect(kinds(request(30_000, keyed: true), history).isEmpty, "at the keyed limit")
        #expect(kinds(request(30_001), history).isEmpty, "not keyed")
        let assessment = scorer.assess(request(30_001, keyed: true), history: history)
        #expect(assessment.signals.map(\.kind) == [.keyedEntry] && assessment.score == 30)
        #expect(
            assessment.signals.first { $0.kind == .keyedEntry }?.sentence
                == "keyed entry: $300.01 typed in by hand is over the $300.00 keyed limit")
    }

    @Test func aCardDeclinedOnAnotherClientWithinTheLookback() throws {
        let card = try MaskedCard(brand: "visa", last4: "4242")
        let declines: [RiskHistory.Decline] = [
            .init(paymentID: 17, clientID: "client-2", at: ago(3_600)),
            .init(paymentID: 9, clientID: "client-3", at: ago(86_400)),
            .init(paymentID: 5, clientID: "client-1", at: ago(60)),  // the same client: a retry, not a signal
            .init(paymentID: 2, clientID: "client-4", at: ago(3 * 86_400 + 1)),  // too long ago
        ]
        let history = RiskHistory(approvedAmounts: [usd(10_000)], cardDeclines: declines)
        let assessment = scorer.assess(request(10_000, card: card), history: history)
        #expect(assessment.signals.map(\.kind) == [.cardDeclinedElsewhere] && assessment.score == 50)
        #expect(
            assessment.signals.first?.sentence
                == "card declined on another client: VISA •••• 4242 was declined 2 times for another client within 3 days (latest: payment 17)"
        )
        #expect(kinds(request(10_000), history).isEmpty, "no card known before the sale (counter, link): not judged")
        let sameClientOnly = RiskHistory(approvedAmounts: [usd(10_000)], cardDeclines: [declines[2], declines[3]])
        #expect(kinds(request(10_000, card: card), sameClientOnly).isEmpty)
    }

    @Test func anAmountThreeTimesTheMedianOfEnoughPaymentsIsFarAboveUsual() throws {
        #expect(kinds(request(29_999), regular).isEmpty, "just under 3 × $100.00")
        let assessment = scorer.assess(request(30_000), history: regular)
        #expect(assessment.signals.map(\.kind) == [.aboveUsual])
        #expect(
            assessment.signals.first?.sentence
                == "far above usual: $300.00 is 3.0× this client's usual $100.00 (the median of 3 approved payments; 3× or more is unusual)"
        )
        let two = RiskHistory(approvedAmounts: [usd(10_000), usd(10_000)])
        #expect(kinds(request(90_000), two).isEmpty, "two payments are too few to say what usual is")
        // An even count: the median is the mean of the middle two ($100.00 and $200.00 → $150.00).
        let four = RiskHistory(approvedAmounts: [usd(10_000), usd(20_000), usd(5_000), usd(90_000)])
        #expect(kinds(request(44_999), four).isEmpty)
        #expect(kinds(request(45_000), four) == [.aboveUsual])
    }

    @Test func theScoreIsTheSumOfTheWeightsAndWeightsAreConfigurable() throws {
        var rules = RiskRules()
        rules.weights[.newClient] = 15
        rules.weights[.keyedEntry] = 25
        rules.keyedLimitMinor = 10_000
        let assessment = RiskScorer(rules: try rules.validated()).assess(request(60_000, keyed: true), history: RiskHistory())
        #expect(assessment.signals.map(\.kind) == [.newClient, .keyedEntry] && assessment.score == 40)
        #expect(assessment.reason.hasPrefix("risk score 40: new client: ") && assessment.reason.contains("; keyed entry: $600.00"))
        #expect(scorer.assess(request(100), history: regular) == RiskAssessment(signals: []), "a plain charge: nothing fires")
    }

    @Test func rulesThatCannotWorkAreRefusedNamingTheNumber() {
        var rules = RiskRules()
        rules.smallChargeCount = 1
        #expect(throws: RiskRulesError.outOfRange("small-charge count", 1, 2...100)) { try rules.validated() }
        rules = RiskRules()
        rules.weights[.aboveUsual] = 1_001
        #expect((try? rules.validated()) == nil)
        rules = RiskRules()
        rules.usualMultiple = 1
        #expect(throws: RiskRulesError.self) { try rules.validated() }
    }

    @Test func hugeAmountsNeitherTrapNorFire() {
        let history = RiskHistory(approvedAmounts: [usd(Int64.max), usd(Int64.max), usd(Int64.max)])
        #expect(!kinds(request(Int64.max), history).contains(.aboveUsual))
    }
}

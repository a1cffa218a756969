import Foundation
import Receivables
import Testing

/// Times in a named zone, so every expectation is written as a manager would read it.
struct LocalClock {
    let zone: TimeZone

    init(_ identifier: String) { zone = TimeZone(identifier: identifier)! }

    func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    func rules(days: [Int] = [1, 3, 5], window: String = "09:00-18:00", emailAfter: Int = 2) throws -> RetryRules {
        try RetryRules(retryDays: days, window: LocalTimeWindow(parsing: window), timeZone: zone, emailAfterDays: emailAfter)
    }
}

let insufficientFunds = DeclineClassifier.classify(.card(code: "card_declined", declineCode: "insufficient_funds", via: .savedCard))
let stolenCard = DeclineClassifier.classify(.card(code: "card_declined", declineCode: "stolen_card", via: .savedCard))

@Suite struct RetryPolicyTests {
    let chicago = LocalClock("America/Chicago")

    func retryTime(_ decision: RetryDecision) -> Date? {
        if case .retry(let at, _, _, _) = decision { return at }
        return nil
    }

    @Test func softDeclineOfASavedCardIsTriedOnTheConfiguredDaysAtTheSameLocalTime() throws {
        let policy = RetryPolicy(rules: try chicago.rules())
        let declined = chicago.at(2026, 3, 2, 10, 15)
        let times = (0..<3).map {
            retryTime(policy.decide(insufficientFunds, onSavedCard: true, declinedAt: declined, failedRetries: $0, invoice: .open))
        }
        #expect(times == [chicago.at(2026, 3, 3, 10, 15), chicago.at(2026, 3, 5, 10, 15), chicago.at(2026, 3, 7, 10, 15)])
        let first = policy.decide(insufficientFunds, onSavedCard: true, declinedAt: declined, failedRetries: 0, invoice: .open)
        #expect(
            first.reason
                == "Soft decline: not enough money in the account right now (Stripe (saved card) said insufficient_funds). "
                + "Try 1 of 3: 1 day after the decline, Tue 2026-03-03 10:15 America/Chicago, inside 09:00-18:00 local time.")
    }

    @Test func aDeclineAtNightIsRetriedWhenTheWindowOpensNeverAtNight() throws {
        let policy = RetryPolicy(rules: try chicago.rules())
        for (hour, minute) in [(23, 10), (3, 0), (18, 0), (8, 59)] {
            let declined = chicago.at(2026, 5, 12, hour, minute)
            let at = retryTime(policy.decide(insufficientFunds, onSavedCard: true, declinedAt: declined, failedRetries: 0, invoice: .open))
            #expect(at == chicago.at(2026, 5, 13, 9, 0), "declined at \(hour):\(minute)")
        }
        let lastMinute = chicago.at(2026, 5, 12, 17, 59)
        #expect(
            retryTime(policy.decide(insufficientFunds, onSavedCard: true, declinedAt: lastMinute, failedRetries: 0, invoice: .open))
                == chicago.at(2026, 5, 13, 17, 59))
    }

    @Test func nightIsTheBusinesssNightNotUTCs() throws {
        // 02:30 UTC on 10 June is 21:30 on 9 June in Chicago: the next day there is the 10th.
        let declined = Date(timeIntervalSince1970: 1_781_058_600)  // 2026-06-10T02:30:00Z
        let local = RetryPolicy(rules: try chicago.rules())
        let utc = RetryPolicy(rules: try LocalClock("UTC").rules())
        let inChicago = retryTime(
            local.decide(insufficientFunds, onSavedCard: true, declinedAt: declined, failedRetries: 0, invoice: .open))
        let inUTC = retryTime(utc.decide(insufficientFunds, onSavedCard: true, declinedAt: declined, failedRetries: 0, invoice: .open))
        #expect(inChicago == chicago.at(2026, 6, 10, 9, 0))
        #expect(inUTC == LocalClock("UTC").at(2026, 6, 11, 9, 0))
    }

    @Test func acrossTheSpringDSTChangeTheLocalTimeIsKeptNotTwentyFourHours() throws {
        let policy = RetryPolicy(rules: try chicago.rules())
        let declined = chicago.at(2026, 3, 7, 17, 30)  // Saturday; clocks go forward on Sunday 8 March
        let at = try #require(
            retryTime(policy.decide(insufficientFunds, onSavedCard: true, declinedAt: declined, failedRetries: 0, invoice: .open)))
        #expect(at == chicago.at(2026, 3, 8, 17, 30))
        #expect(at.timeIntervalSince(declined) == 23 * 3_600)
        #expect(policy.rules.isDaytime(at))
        // 24 hours later would have been 18:30 local: outside the window.
        #expect(!policy.rules.isDaytime(declined.addingTimeInterval(86_400)))
    }

    @Test func acrossTheAutumnDSTChangeTheLocalTimeIsKept() throws {
        let policy = RetryPolicy(rules: try chicago.rules(window: "08:00-18:00"))
        let declined = chicago.at(2026, 10, 31, 8, 30)  // clocks go back on Sunday 1 November
        let at = try #require(
            retryTime(policy.decide(insufficientFunds, onSavedCard: true, declinedAt: declined, failedRetries: 0, invoice: .open)))
        #expect(at == chicago.at(2026, 11, 1, 8, 30))
        #expect(at.timeIntervalSince(declined) == 25 * 3_600)
        #expect(!policy.rules.isDaytime(declined.addingTimeInterval(86_400)))  // 07:30 local
    }

    @Test func afterTheLastTryTheCustomerGetsALinkInstead() throws {
        let policy = RetryPolicy(rules: try chicago.rules())
        let decision = policy.decide(insufficientFunds, onSavedCard: true, declinedAt: .now, failedRetries: 3, invoice: .open)
        guard case .payAnotherWay(let reason) = decision else {
            Issue.record("expected a link, got \(decision)")
            return
        }
        #expect(reason.hasSuffix("The saved card was tried again 3 times, the most allowed; send the customer a link to pay another way."))
    }

    @Test func withNoRetryDaysTheReasonSaysRetriesAreOff() throws {
        let policy = RetryPolicy(rules: try chicago.rules(days: []))
        let decision = policy.decide(insufficientFunds, onSavedCard: true, declinedAt: .now, failedRetries: 0, invoice: .open)
        #expect(decision.reason.hasSuffix("Retries are turned off (no retry days); send the customer a link to pay."))
    }

    @Test func aPaidOrDisputedInvoiceIsNeverChargedAgain() throws {
        let policy = RetryPolicy(rules: try chicago.rules())
        #expect(
            policy.decide(insufficientFunds, onSavedCard: true, declinedAt: .now, failedRetries: 0, invoice: .paid)
                == .stop(reason: "The invoice is paid: nothing more to collect."))
        let disputed = policy.decide(insufficientFunds, onSavedCard: true, declinedAt: .now, failedRetries: 0, invoice: .disputed)
        #expect(disputed == .stop(reason: "The invoice is disputed: posplus does not charge or chase it while the dispute is open."))
    }

    @Test func aHardDeclineNeverRetriesTheSameCardAndProposesALink() throws {
        let policy = RetryPolicy(rules: try chicago.rules())
        let decision = policy.decide(stolenCard, onSavedCard: true, declinedAt: .now, failedRetries: 0, invoice: .open)
        #expect(
            decision
                == .payAnotherWay(
                    reason: "Hard decline: the card was reported lost or stolen (Stripe (saved card) said stolen_card). "
                        + "The same card is never charged again; send the customer a link to pay another way."))
    }

    @Test func aSoftDeclineWithoutASavedCardProposesALink() throws {
        let policy = RetryPolicy(rules: try chicago.rules())
        let counter = DeclineClassifier.classify(.terminal(resultCode: "000100", message: "DECLINE: INSUFFICIENT FUNDS"))
        let decision = policy.decide(counter, onSavedCard: false, declinedAt: .now, failedRetries: 0, invoice: .open)
        #expect(decision.reason.hasSuffix("There is no saved card to try again; send the customer a link to pay."))
    }

    @Test func rulesThatCannotWorkAreRefusedWithTheReason() throws {
        let zone = chicago.zone
        let window = try LocalTimeWindow(parsing: "09:00-18:00")
        #expect(throws: RetryRulesError.retryDaysNotIncreasing([3, 1])) {
            try RetryRules(retryDays: [3, 1], window: window, timeZone: zone, emailAfterDays: 2)
        }
        #expect(throws: RetryRulesError.retryDayOutOfRange(0, limit: 30)) {
            try RetryRules(retryDays: [0, 2], window: window, timeZone: zone, emailAfterDays: 2)
        }
        #expect(throws: RetryRulesError.windowEmpty("18:00-09:00")) { try LocalTimeWindow(parsing: "18:00-09:00") }
        #expect(throws: RetryRulesError.windowUnreadable("9-18")) { try LocalTimeWindow(parsing: "9-18") }
        #expect(try LocalTimeWindow(parsing: "00:00-24:00").contains(minuteOfDay: 23 * 60 + 59))
    }
}

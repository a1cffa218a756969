import Foundation
import Receivables
import Testing

@Suite struct RecoverySequenceTests {
    let chicago = LocalClock("America/Chicago")

    func sequence() throws -> RecoverySequence {
        RecoverySequence(policy: RetryPolicy(rules: try chicago.rules()))
    }

    func kinds(_ actions: [RecoverySequence.Action]) -> [String] {
        actions.map {
            switch $0 {
            case .sendLink(let channel, _): return "link:\(channel.rawValue)"
            case .chargeSavedCard(let number, _): return "charge:\(number)"
            case .createOfficeTask: return "task"
            case .finish: return "finish"
            }
        }
    }

    @Test func softSavedCardDeclineRunsTextRetryEmailRetryThenAnOfficeTask() throws {
        var machine = try sequence()
        let declined = chicago.at(2026, 4, 6, 11, 0)
        #expect(kinds(machine.handle(.declined(insufficientFunds, onSavedCard: true, at: declined))) == ["link:sms"])
        #expect(machine.nextWakeUp == chicago.at(2026, 4, 7, 11, 0))

        #expect(kinds(machine.handle(.tick(chicago.at(2026, 4, 7, 11, 0)))) == ["charge:1"])
        #expect(machine.nextWakeUp == chicago.at(2026, 4, 8, 11, 0), "the email is due; the retry waits for its answer")
        #expect(kinds(machine.handle(.retryDeclined(insufficientFunds, at: chicago.at(2026, 4, 7, 11, 0)))) == [])

        #expect(kinds(machine.handle(.tick(chicago.at(2026, 4, 8, 11, 0)))) == ["link:email"])
        #expect(machine.nextWakeUp == chicago.at(2026, 4, 9, 11, 0))
        #expect(kinds(machine.handle(.tick(chicago.at(2026, 4, 9, 11, 0)))) == ["charge:2"])
        let second = machine.handle(.retryDeclined(insufficientFunds, at: chicago.at(2026, 4, 9, 11, 0)))
        #expect(kinds(second) == ["task"])
        guard case .createOfficeTask(let reason) = second.first else { return }
        #expect(reason.hasPrefix("The saved card was declined again on try 2"))
        #expect(machine.nextWakeUp == chicago.at(2026, 4, 11, 11, 0))
    }

    @Test func theMomentTheInvoiceIsPaidNothingScheduledHappens() throws {
        var machine = try sequence()
        _ = machine.handle(.declined(insufficientFunds, onSavedCard: true, at: chicago.at(2026, 4, 6, 11, 0)))
        let paid = machine.handle(.invoicePaid(at: chicago.at(2026, 4, 6, 15, 0)))
        #expect(kinds(paid) == ["finish"])
        #expect(machine.nextWakeUp == nil)
        #expect(machine.handle(.tick(chicago.at(2026, 4, 30, 12, 0))) == [])
        #expect(machine.handle(.retryDeclined(insufficientFunds, at: chicago.at(2026, 4, 7, 11, 0))) == [])
    }

    @Test func aDisputeStopsTheSequenceEvenWithARetryInFlight() throws {
        var machine = try sequence()
        _ = machine.handle(.declined(insufficientFunds, onSavedCard: true, at: chicago.at(2026, 4, 6, 11, 0)))
        #expect(kinds(machine.handle(.tick(chicago.at(2026, 4, 7, 11, 0)))) == ["charge:1"])
        let disputed = machine.handle(.invoiceDisputed(at: chicago.at(2026, 4, 7, 11, 1)))
        #expect(
            disputed == [.finish(reason: "The invoice is disputed: the recovery sequence stops; the dispute is handled by a person.")])
        #expect(machine.handle(.tick(chicago.at(2026, 4, 12, 11, 0))) == [])
    }

    @Test func anApprovedRetryEndsIt() throws {
        var machine = try sequence()
        _ = machine.handle(.declined(insufficientFunds, onSavedCard: true, at: chicago.at(2026, 4, 6, 11, 0)))
        _ = machine.handle(.tick(chicago.at(2026, 4, 7, 11, 0)))
        #expect(
            machine.handle(.retryApproved(at: chicago.at(2026, 4, 7, 11, 0)))
                == [.finish(reason: "Try 1 of the saved card was approved: the invoice is paid.")])
        #expect(machine.isFinished)
    }

    @Test func aHardDeclineGetsALinkNoRetryAndTheOfficeAfterTheEmail() throws {
        var machine = try sequence()
        let started = machine.handle(.declined(stolenCard, onSavedCard: true, at: chicago.at(2026, 4, 6, 11, 0)))
        #expect(kinds(started) == ["link:sms"])
        #expect(
            started.first.map { if case .sendLink(_, let reason) = $0 { reason.contains("never charged again") } else { false } } == true)
        #expect(kinds(machine.handle(.tick(chicago.at(2026, 4, 8, 11, 0)))) == ["link:email"])
        #expect(kinds(machine.handle(.tick(chicago.at(2026, 4, 10, 11, 0)))) == ["task"])
        #expect(machine.nextWakeUp == nil)
    }

    @Test func aRetryThatTurnsHardStopsRetryingAndSendsALink() throws {
        var machine = try sequence()
        _ = machine.handle(.declined(insufficientFunds, onSavedCard: true, at: chicago.at(2026, 4, 6, 11, 0)))
        _ = machine.handle(.tick(chicago.at(2026, 4, 7, 11, 0)))
        let expired = DeclineClassifier.classify(.card(code: "expired_card", declineCode: nil, via: .savedCard))
        #expect(kinds(machine.handle(.retryDeclined(expired, at: chicago.at(2026, 4, 7, 11, 0)))) == ["link:sms"])
        #expect(kinds(machine.handle(.tick(chicago.at(2026, 4, 8, 11, 0)))) == ["link:email"])
        #expect(machine.nextWakeUp == nil, "no retry of an expired card is ever scheduled")
    }

    @Test func aLateDeclineOrUnaskedAnswerChangesNothing() throws {
        var machine = try sequence()
        #expect(machine.handle(.tick(chicago.at(2026, 4, 6, 11, 0))) == [])
        _ = machine.handle(.declined(insufficientFunds, onSavedCard: true, at: chicago.at(2026, 4, 6, 11, 0)))
        #expect(machine.handle(.declined(stolenCard, onSavedCard: true, at: chicago.at(2026, 4, 6, 12, 0))) == [])
        #expect(machine.handle(.retryDeclined(insufficientFunds, at: chicago.at(2026, 4, 6, 12, 0))) == [])
        #expect(machine.nextWakeUp == chicago.at(2026, 4, 7, 11, 0))
    }

    @Test func allThreeTriesThenALinkAndNoFourth() throws {
        var machine = try sequence()
        let declined = chicago.at(2026, 4, 6, 11, 0)
        _ = machine.handle(.declined(insufficientFunds, onSavedCard: true, at: declined))
        var charges = 0
        var links = 0
        while let wake = machine.nextWakeUp {
            for action in machine.handle(.tick(wake)) {
                if case .chargeSavedCard = action {
                    charges += 1
                    #expect(machine.policy.rules.isDaytime(wake))
                    for answer in machine.handle(.retryDeclined(insufficientFunds, at: wake)) {
                        if case .sendLink(.sms, _) = answer { links += 1 }
                    }
                }
            }
        }
        #expect(charges == 3)
        #expect(links == 1)
    }
}

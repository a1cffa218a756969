import Bridge
import Foundation
import Ledger
import PAXSimulator
import PosPlusCore
import TestSupport
import Testing

/// `posplus declines plan` through the real binary, on declines the PAX simulator makes with
/// its demo amounts ($20.01 do not honor, $20.02 invalid card) and a duplicate answer (100011):
/// read-only, reasons shown.
@Suite("posplus CLI: declines plan")
struct DeclinesCLITests {
    @Test func aDeclinedCounterPaymentShowsItsClassReasonAndNextSteps() async throws {
        let settings = """
            [declines]
            mode = "suggest"

            [reconcile]
            time_zone = "America/Chicago"
            """
        try await CLIWorld.run(settings: settings) { world in
            let first = try await world.posplus([
                "charge", "front-desk", "--invoice", "1043", "--amount", "20.01", "--partial", "--key", "soft",
            ])
            #expect((first.stdout + first.stderr).lowercased().contains("declined"), "\(first.stdout) \(first.stderr)")
            _ = try await world.posplus(["charge", "front-desk", "--invoice", "1043", "--amount", "20.02", "--partial", "--key", "hard"])
            #expect(try world.ledger.payment(id: 1)?.state == .declined)
            #expect(try world.ledger.payment(id: 2)?.state == .declined)

            let soft = try await world.posplus(["declines", "plan", "1"])
            #expect(soft.status == 0, "\(soft.stderr)")
            #expect(soft.stdout.contains("Payment 1: sale of $20.01 on invoice #1043, declined."), "\(soft.stdout)")
            #expect(soft.stdout.contains("Mode: declines.mode = suggest (each step waits for a person)"))
            #expect(
                soft.stdout.contains(
                    "Soft decline: the bank declined without giving a reason (the terminal said 000100 DECLINE: DO NOT HONOR host code 05)."
                ), "\(soft.stdout)")
            #expect(soft.stdout.contains("There is no saved card to try again; send the customer a link to pay."))
            #expect(soft.stdout.contains("1. ") && soft.stdout.contains("America/Chicago: text the customer a payment link"))
            #expect(soft.stdout.contains("email the payment link"))
            #expect(soft.stdout.contains("a task for the office: call the customer"))
            #expect(!soft.stdout.contains("charge the saved card"))

            let hard = try await world.posplus(["declines", "plan", "2"])
            #expect(hard.stdout.contains("Hard decline: the card or account number is not valid"), "\(hard.stdout)")
            #expect(hard.stdout.contains("The same card is never charged again; send the customer a link to pay another way."))

            // The terminal matches the next sale to its last one: 100011, the money may be taken.
            world.terminal.inject(.duplicateTransaction)
            _ = try await world.posplus(["charge", "front-desk", "--invoice", "1044", "--key", "dup"])
            let duplicate = try await world.posplus(["declines", "plan", "3"])
            #expect(duplicate.stdout.contains("Possible duplicate, not a decline"), "\(duplicate.stdout)")
            #expect(duplicate.stdout.contains("Check the terminal's and the ledger's recent payments for this invoice before asking"))
            #expect(!duplicate.stdout.contains("payment link") && !duplicate.stdout.contains("charge the saved card"))

            let missing = try await world.posplus(["declines", "plan", "99"])
            #expect(missing.status != 0 && missing.stderr.contains("No payment 99 in the ledger"), "\(missing.stderr)")
            #expect(try world.ledger.payments(states: nil, limit: 10).count == 3, "the plan changed nothing")
        }
    }
}

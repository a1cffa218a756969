import Foundation
import JobberSimulator
import Ledger
import PAXSimulator
import TestSupport
import Testing

/// Faults found by trying `posplus charge` as staff would, each as real processes: the Jobber
/// simulator (connected through OAuth) and a PAX simulator on TCP named by address.
@Suite("posplus charge: faults that lost or doubled money", .timeLimit(.minutes(2)))
struct ChargeFaultCLITests {
    struct Setup {
        let cli: CLIRunner
        let ledger: Ledger
        let jobber: ConnectedJobber
        let environment: [String: String]

        static func start() async throws -> Setup {
            let cli = try CLIRunner()
            let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
            let jobber = try await ConnectedJobber.start(connecting: ledger)
            let environment = ["POSPLUS_LEDGER_PATH": cli.ledgerPath].merging(jobber.environment) { $1 }
            return Setup(cli: cli, ledger: ledger, jobber: jobber, environment: environment)
        }

        /// The CLI talks to servers in this process: run it off the cooperative threads.
        func posplus(_ arguments: [String]) async throws -> CLIRunner.Result {
            try await onOwnThread { [cli, environment] in try cli.run(arguments, environment: environment) }
        }
    }

    /// `posplus recover` listed a payment taken with --tcp as "waiting" for good: nothing
    /// recorded where that terminal was.
    @Test func aPaymentTakenOnATerminalNamedByAddressIsRecovered() async throws {
        let s = try await Setup.start()
        let terminal = PAXSimulator()
        defer { terminal.stop() }
        let address = "127.0.0.1:\(try terminal.startTCP())"
        terminal.inject(.ackThenSilence)
        let lost = try await s.posplus(["charge", "--tcp", address, "--response-timeout", "1", "--invoice", "1044", "--key", "by-address"])
        #expect(lost.stdout.contains("Payment 1: sale $89.99 — unknown"), "\(lost.stdout) \(lost.stderr)")
        let recovered = try await s.posplus(["recover"])
        #expect(recovered.stdout.contains("Payment 1: approved"), "\(recovered.stdout) \(recovered.stderr)")
        #expect(terminal.terminal.log.count == 1, "looked up, never charged twice")
        // Given back on the same terminal, found where the attempt recorded it: no address retyped.
        let refund = try await s.posplus(["refund", "1", "--amount", "10.00", "--key", "by-address-refund"])
        #expect(refund.stdout.contains("Payment 1 is now partiallyRefunded."), "\(refund.stdout) \(refund.stderr)")
        await s.jobber.stop()
    }

    /// The same key run twice at once: one transaction at the terminal, and both runs report
    /// the payment (the slower one failed with "already finished as approved").
    @Test func theSameKeyTwiceAtOnceChargesOnceAndBothRunsSayApproved() async throws {
        let s = try await Setup.start()
        let terminal = PAXSimulator(settings: .init(processingDelay: .seconds(2)))  // the card takes a moment
        defer { terminal.stop() }
        let charge = [
            "charge", "--tcp", "127.0.0.1:\(try terminal.startTCP())", "--invoice", "1043", "--key", "twice", "--operator", "ada",
        ]
        async let first = s.posplus(charge)
        async let second = s.posplus(charge)
        let (a, b) = try await (first, second)
        for run in [a, b] {
            #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
            #expect(run.stdout.contains("Payment 1: sale $1,234.56 — approved"), "\(run.stdout) \(run.stderr)")
        }
        #expect(terminal.terminal.log.count == 1, "the terminal saw one sale")
        #expect(try s.ledger.payments().count == 1)
        await s.jobber.stop()
    }

    /// A retried partial charge under a new key took the money twice.
    @Test func aRetriedPartialChargeShowsThePaymentAndItsKey() async throws {
        let s = try await Setup.start()
        let terminal = PAXSimulator()
        defer { terminal.stop() }
        let address = "127.0.0.1:\(try terminal.startTCP())"
        terminal.inject(.ackThenSilence)
        let part = ["charge", "--tcp", address, "--response-timeout", "1", "--invoice", "1043", "--amount", "4.44", "--partial"]
        let lost = try await s.posplus(part + ["--key", "first"])
        #expect(lost.stdout.contains("unknown"), "\(lost.stdout) \(lost.stderr)")
        let again = try await s.posplus(part)  // a new key, as staff would
        #expect(again.status != 0)
        #expect(again.stderr.contains("posplus already took $4.44 on invoice #1043"), "\(again.stderr)")
        #expect(again.stderr.contains("--key first") && again.stderr.contains("--split-tender"))
        #expect(terminal.terminal.log.count == 1, "no second sale")
        let split = try await s.posplus(part + ["--split-tender"])
        #expect(split.stdout.contains("Payment 2: sale $4.44 — approved"), "\(split.stdout) \(split.stderr)")
        #expect(terminal.terminal.log.count == 2)
        await s.jobber.stop()
    }

    /// An operator name or key that looks like a card number: refused before anything is
    /// recorded or sent (it used to leave an approved charge unrecorded, or be stored as is).
    @Test func freeTextThatLooksLikeACardNumberIsRefusedBeforeAnythingIsSent() async throws {
        let s = try await Setup.start()
        let terminal = PAXSimulator()
        defer { terminal.stop() }
        let charge = ["charge", "--tcp", "127.0.0.1:\(try terminal.startTCP())", "--invoice", "1044"]
        let name = try await s.posplus(charge + ["--operator", "4111111111111111"])
        #expect(name.status != 0 && name.stderr.contains("not a valid operator name"), "\(name.stderr)")
        #expect(!name.stderr.contains("4111111111111111"), "the refusal never repeats the number")
        let key = try await s.posplus(charge + ["--key", "k-4000056655665556"])
        #expect(key.status != 0 && key.stderr.contains("not a valid idempotency key"), "\(key.stderr)")
        let control = try await s.posplus(charge + ["--operator", "ada\u{1B}[2J"])
        #expect(control.status != 0 && control.stderr.contains("operator name"))
        #expect(try terminal.terminal.log.isEmpty && s.ledger.payments().isEmpty)
        let fine = try await s.posplus(charge + ["--operator", "Zoë O'Neil"])
        #expect(fine.stdout.contains("approved"), "\(fine.stdout) \(fine.stderr)")
        await s.jobber.stop()
    }
}

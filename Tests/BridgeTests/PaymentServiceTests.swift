import Bridge
import Foundation
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Terminal
import TestSupport
import Testing

/// A counter charge through the one payment path, with every part real: the Jobber simulator
/// over HTTP, the PAX simulator over TCP, the ledger in a SQLite file, the write-back through
/// the outbox. Faults are the simulator's own (a reply that never comes, a terminal that is off).
@Suite("Payment service: counter charges end to end", .timeLimit(.minutes(1)))
struct PaymentServiceTests {
    typealias Service = PaymentService<RecordingClock>

    struct Harness {
        typealias Order = Service.ChargeOrder

        let jobber: SimulatedJobber
        let terminal: PAXSimulator
        let channel: TerminalChannel
        let ledger: Ledger
        let service: Service
        let folder: URL

        /// `response` bounds the wait for an answer: short only where a test makes the answer
        /// never come (the simulator's own fault), generous elsewhere so a busy machine cannot
        /// turn an approval into "unknown".
        static func start(
            response: Duration = .seconds(20), jobberOptions: (inout JobberSimulator.Options) -> Void = { _ in }
        ) async throws -> Harness {
            let jobber = try await SimulatedJobber.start(configure: jobberOptions)
            let terminal = PAXSimulator()
            let port = try terminal.startTCP()
            let timeouts = POSLinkTimeouts(
                connect: .seconds(5), ack: .seconds(5), response: response, eot: .milliseconds(500), administrative: .seconds(20))
            let driver = PAXDriver(connection: .tcp(host: "127.0.0.1", port: port), timeouts: timeouts, logger: Logger(label: "t"))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-service-\(UUID().uuidString)")
            let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
            let service = Service(
                ledger: ledger, check: ChargeCheck(invoices: jobber.invoices, rules: ChargeGuard()), logger: Logger(label: "t"))
            return Harness(
                jobber: jobber, terminal: terminal, channel: TerminalChannel(name: "front-desk", driver: driver), ledger: ledger,
                service: service, folder: folder)
        }

        func charge(_ order: Service.ChargeOrder, key: String) async throws -> PaymentRecord {
            try await service.charge(order, on: channel, operator: "ada", idempotencyKey: try IdempotencyKey(key))
        }

        func writeBacks() throws -> [OutboxJobRecord] { try ledger.jobs().filter { $0.kind == JobberWriteBackJob.kind } }

        func stop() async {
            terminal.stop()
            await jobber.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func aSaleIsCheckedChargedRecordedAndNotedInJobberOnce() async throws {
        let h = try await Harness.start()
        let payment = try await h.charge(.init(target: .invoiceNumber("1043")), key: "counter-1")
        #expect(payment.state == .approved && payment.capturedMinor == 123_456 && payment.invoiceNumber == "1043")
        #expect(payment.cardLast4 != nil && payment.authCode != nil && payment.channel == "front-desk")
        #expect(try h.writeBacks().count == 1)

        let again = try await h.charge(.init(target: .invoiceNumber("1043")), key: "counter-1")
        #expect(again.id == payment.id && again.state == .approved)
        #expect(h.terminal.terminal.log.count == 1, "a retry under the same key never reaches the terminal")

        let worker = OutboxWorker(
            ledger: h.ledger,
            handlers: [JobberWriteBackJob.kind: JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: h.jobber.graphQL))],
            logger: Logger(label: "t"))
        #expect(try await worker.runDueJobs() == 1)
        let notes = h.jobber.simulator.notes(invoiceNumber: "1043").filter { $0.message.contains("[posplus ") }
        #expect(notes.count == 1)
        #expect(notes.first?.message.hasPrefix("Paid $1,234.56 by sale at the counter") == true)
        #expect(notes.first?.message.contains("auth \(payment.authCode ?? "?")") == true)
        await h.stop()
    }

    @Test func refusalsComeBeforeAnythingIsRecordedOrSent() async throws {
        let h = try await Harness.start()
        await #expect(throws: ChargeCheckError.refused(.draft(invoice: "1041"))) {
            try await h.charge(.init(target: .invoiceNumber("1041")), key: "draft")
        }
        let hundred = Money(minorUnits: 10_000, currency: .usd)
        await #expect(throws: ChargeCheckError.self) {
            try await h.charge(.init(target: .invoiceNumber("1043"), amount: hundred), key: "undeclared")  // less than owed, not said so
        }
        #expect(try h.ledger.payments().isEmpty && h.terminal.terminal.log.isEmpty)

        let part = try await h.charge(.init(target: .invoiceNumber("1043"), amount: hundred, intent: .partial), key: "part")
        #expect(part.state == .approved && part.capturedMinor == 10_000)
        await #expect(throws: LedgerError.idempotencyKeyReused(key: "part", existingPaymentID: part.id)) {
            try await h.charge(.init(target: .invoiceNumber("1044")), key: "part")
        }
        await h.stop()
    }

    @Test func aDeclineIsRecordedAndNothingIsWrittenBack() async throws {
        let h = try await Harness.start()
        let declined = try await h.charge(
            .init(target: .invoiceNumber("1043"), amount: Money(minorUnits: 2_001, currency: .usd), intent: .partial), key: "decline")
        #expect(declined.state == .declined && declined.capturedMinor == 0)
        #expect(try h.writeBacks().isEmpty)
        await h.stop()
    }

    @Test func aLostReplyIsUnknownUntilRecoveryFindsTheApproval() async throws {
        let h = try await Harness.start(response: .milliseconds(300))
        h.terminal.inject(.ackThenSilence)
        let lost = try await h.charge(.init(target: .invoiceNumber("1044")), key: "lost")
        #expect(lost.state == .unknown)
        #expect(try h.writeBacks().isEmpty, "no note until the money is known to have moved")

        let resolutions = try await Recovery(ledger: h.ledger, logger: Logger(label: "t")).resolveInDoubt(channels: [h.channel])
        #expect(resolutions.map(\.state) == [.approved])
        let found = try #require(try h.ledger.payment(id: lost.id))
        #expect(found.state == .approved && found.capturedMinor == 8_999)
        #expect(try h.writeBacks().count == 1)
        #expect(h.terminal.terminal.log.count == 1, "looked up, never charged twice")
        await h.stop()
    }

    @Test func aRetryOfAnUnknownChargeLooksItUpInsteadOfChargingAgain() async throws {
        let h = try await Harness.start(response: .milliseconds(300))
        h.terminal.inject(.ackThenSilence)
        let order = Service.ChargeOrder(target: .invoiceNumber("1060"))
        #expect(try await h.charge(order, key: "retry").state == .unknown)
        let retried = try await h.charge(order, key: "retry")
        #expect(retried.state == .approved && retried.capturedMinor == 31_000)
        #expect(h.terminal.terminal.log.count == 1)
        await h.stop()
    }

    @Test func aTerminalThatNeverGotTheRequestChargesNothing() async throws {
        let h = try await Harness.start()
        let off = UnlistenedPort()
        let driver = PAXDriver(connection: .tcp(host: "127.0.0.1", port: off.port), logger: Logger(label: "t"))
        let channel = TerminalChannel(name: "back-office", driver: driver)
        await #expect(throws: PaymentChannelError.self) {
            try await h.service.charge(
                .init(target: .invoiceNumber("1043")), on: channel, operator: "ada", idempotencyKey: try IdempotencyKey("off"))
        }
        let payment = try #require(try h.ledger.payments().first)
        #expect(payment.state == .abandoned && payment.capturedMinor == 0)
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await h.stop()
    }

    @Test func aBankDebitOnTheTerminalIsPendingAndNotYetWrittenBack() async throws {
        let h = try await Harness.start()
        let debit = try await h.charge(.init(target: .invoiceNumber("1044"), operation: .achDebit), key: "ach")
        #expect(debit.state == .pending && debit.capturedMinor == 8_999)
        #expect(try h.writeBacks().isEmpty)
        await h.stop()
    }
}

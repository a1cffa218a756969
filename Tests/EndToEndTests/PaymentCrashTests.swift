import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import HTTPServing
import JobberSimulator
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import TestSupport
import Testing

/// The real `posplus` CLI is SIGKILLed at each step boundary of a payment (the process kills
/// itself there: `POSPLUS_TEST_KILL_AT`), on a counter terminal and at Stripe, for a sale and a
/// refund. Then `posplus recover` runs and staff retry the same command with the same key, as
/// they would. After every round: the money the terminal or Stripe took equals what the ledger
/// records, nothing was charged twice, the Jobber note is queued once for money that moved,
/// and `posplus audit verify` passes.
@Suite("Crash safety: posplus killed at every step of a payment", .timeLimit(.minutes(5)))
struct PaymentCrashTests {
    struct Round {
        let cli: CLIRunner
        let ledger: Ledger
        let jobber: ConnectedJobber
        let terminal: PAXSimulator
        let config: String
        var environment: [String: String]

        static func start(extraEnvironment: [String: String] = [:]) async throws -> Round {
            let cli = try CLIRunner()
            let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
            let jobber = try await ConnectedJobber.start(connecting: ledger)
            let terminal = PAXSimulator()
            let config = cli.home.appendingPathComponent("posplus.toml").path
            try """
            [terminals.front-desk]
            driver = "pax"
            connection = "tcp"
            host = "127.0.0.1"
            port = \(try terminal.startTCP())
            """.write(toFile: config, atomically: true, encoding: .utf8)
            let environment = ["POSPLUS_LEDGER_PATH": cli.ledgerPath].merging(jobber.environment) { $1 }.merging(extraEnvironment) { $1 }
            return Round(cli: cli, ledger: ledger, jobber: jobber, terminal: terminal, config: config, environment: environment)
        }

        func posplus(_ arguments: [String], killAt step: PaymentStep? = nil) async throws -> CLIRunner.Result {
            var environment = self.environment
            environment["POSPLUS_TEST_KILL_AT"] = step?.rawValue
            return try await onOwnThread { [cli, config, environment] in
                try cli.run(arguments + ["--config", config], environment: environment)
            }
        }

        /// Killed at `step`, then recovered, then retried with the same key.
        func crashRecoverRetry(_ arguments: [String], at step: PaymentStep) async throws -> CLIRunner.Result {
            let killed = try await posplus(arguments, killAt: step)
            #expect(killed.status == SIGKILL, "\(step): the run should have died there: \(killed.stdout) \(killed.stderr)")
            let recovered = try await posplus(["recover"])
            #expect(recovered.status == 0, "\(step): \(recovered.stderr)")
            return try await posplus(arguments)
        }

        /// Invariants that hold whatever happened: the ledger's money equals the terminal's.
        func check(_ step: PaymentStep, sales: Int, refundedOnTerminal: Int64, writeBacks: Int) async throws {
            let records = terminal.terminal.log.filter { $0.type == POSLinkRequest.TransactionType.sale.rawValue }
            #expect(records.count <= sales, "\(step): the terminal took \(records.count) sales")
            let takenOnTerminal = records.reduce(Int64(0)) { $0 + $1.approvedCents }
            let charges = try ledger.payments().filter { $0.operation == .sale }
            let recordedCaptured = charges.reduce(Int64(0)) { $0 + $1.capturedMinor }
            #expect(recordedCaptured == takenOnTerminal, "\(step): ledger \(recordedCaptured) vs terminal \(takenOnTerminal)")
            let recordedRefunded = charges.reduce(Int64(0)) { $0 + $1.refundedMinor }
            let terminalRefunded = records.reduce(Int64(0)) { $0 + $1.refundedCents }
            #expect(terminalRefunded == refundedOnTerminal && recordedRefunded <= terminalRefunded, "\(step): refunds")
            #expect(recordedRefunded == terminalRefunded || step == .attemptStarted, "\(step): ledger refunds \(recordedRefunded)")
            #expect(try ledger.jobs().filter { $0.kind == JobberWriteBackJob.kind }.count == writeBacks, "\(step): Jobber notes")
            let audit = try await posplus(["audit", "verify"])
            #expect(audit.status == 0, "\(step): \(audit.stdout) \(audit.stderr)")
        }

        func stop() async {
            terminal.stop()
            await jobber.stop()
        }
    }

    @Test(arguments: PaymentStep.allCases)
    func aCounterSaleKilledAtAnyStepIsTakenAtMostOnce(step: PaymentStep) async throws {
        let round = try await Round.start()
        let charge = ["charge", "front-desk", "--invoice", "1043", "--key", "desk-\(step.rawValue)", "--operator", "ada"]
        let retried = try await round.crashRecoverRetry(charge, at: step)
        #expect(retried.status == 0, "\(step): \(retried.stderr)")
        let payment = try #require(try round.ledger.payments().first)
        #expect(try round.ledger.payments().count == 1)
        // Killed before the request left, a retry sends it; killed after the terminal got it,
        // recovery finds the answer. Only "attempt started" leaves it in doubt: the terminal never
        // saw it, and "not found" proves that only after recovery.not_found_after.
        let moved = payment.state == .approved
        #expect(moved == (step != .attemptStarted), "\(step): \(payment.state)")
        try await round.check(step, sales: 1, refundedOnTerminal: 0, writeBacks: moved ? 1 : 0)
        await round.stop()
    }

    @Test(arguments: PaymentStep.allCases)
    func aCounterRefundKilledAtAnyStepIsGivenBackAtMostOnce(step: PaymentStep) async throws {
        let round = try await Round.start()
        let sale = try await round.posplus(["charge", "front-desk", "--invoice", "1043", "--key", "sale"])
        #expect(sale.stdout.contains("approved"), "\(sale.stdout) \(sale.stderr)")
        let refund = ["refund", "1", "--amount", "100.00", "--key", "refund-\(step.rawValue)"]
        let retried = try await round.crashRecoverRetry(refund, at: step)
        #expect(retried.status == 0, "\(step): \(retried.stderr)")
        let original = try #require(try round.ledger.payment(id: 1))
        let given = step == .attemptStarted ? Int64(0) : 10_000
        #expect(original.refundedMinor == given, "\(step): \(original.state) \(original.refundedMinor)")
        try await round.check(step, sales: 1, refundedOnTerminal: given, writeBacks: given > 0 ? 2 : 1)
        await round.stop()
    }

    @Test(arguments: PaymentStep.allCases)
    func aStripeChargeKilledAtAnyStepIsTakenAtMostOnce(step: PaymentStep) async throws {
        let stripe = StripeSimulator()
        let server = try await stripe.start()
        let round = try await Round.start(extraEnvironment: [
            "POSPLUS_STRIPE_BASE_URL": server.baseURL, "POSPLUS_STRIPE_SECRET_KEY": "sk_test_crash",
        ])
        let gateway = StripeGateway(
            client: StripeClient(
                configuration: StripeConfiguration(baseURL: server.baseURL, secretKey: Secret("sk_test_crash")),
                http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))))
        let customer = try await gateway.createCustomer(
            GatewayCustomer(name: "Ada", email: nil, jobberClientID: Seed.IDs.ada.value), idempotencyKey: "crash-customer")
        let card = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, server.baseURL + "/v1/payment_methods",
                headers: [("Authorization", "Bearer sk_test_crash"), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("type=card&card[number]=4242424242424242".utf8)))
        let method = try #require(try JSONValue.parse(card.body)["id"]?.string)
        _ = try await gateway.saveMethod(customer: customer, paymentMethod: method, acceptance: nil, idempotencyKey: "crash-save")
        let kept = try await round.posplus([
            "card", "add-stripe", "--client", Seed.IDs.ada.value, "--customer", customer, "--method", method,
        ])
        #expect(kept.status == 0, "\(kept.stderr)")

        let charge = ["charge", "--invoice", "1044", "--card", "1", "--key", "stripe-\(step.rawValue)"]
        let retried = try await round.crashRecoverRetry(charge, at: step)
        #expect(retried.status == 0, "\(step): \(retried.stderr)")
        let atStripe = try await gateway.payments(since: Date(timeIntervalSince1970: 0)).filter { $0.status == .succeeded }
        #expect(atStripe.count <= 1, "\(step): Stripe took \(atStripe.count) payments")
        let payment = try #require(try round.ledger.payments().first)
        #expect(payment.capturedMinor == atStripe.reduce(Int64(0)) { $0 + $1.captured.minorUnits }, "\(step): \(payment.state)")
        #expect(
            try round.ledger.jobs().filter { $0.kind == JobberWriteBackJob.kind }.count == (payment.capturedMinor > 0 ? 1 : 0))
        #expect(try await round.posplus(["audit", "verify"]).status == 0)
        await round.stop()
        await server.stop()
    }
}

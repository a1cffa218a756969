import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// The real `posplus serve` SIGKILLed at each step boundary of recording a paid link from
/// Stripe's webhook (it kills itself there: `POSPLUS_TEST_KILL_AT`), then started again: the
/// stored event is processed on the next start and the payment is recorded once, with its
/// Jobber note queued once, the link closed as paid, and the audit log intact.
@Suite("Crash safety: posplus serve killed while recording a paid link", .timeLimit(.minutes(2)))
struct ServeCrashTests {
    @Test(arguments: [PaymentStep.intentRecorded, .attemptStarted, .answerRecorded])
    func aPaidLinkIsRecordedOnceWhereverServeDied(step: PaymentStep) async throws {
        let cli = try CLIRunner()
        var options = StripeSimulator.Options()
        options.webhookSecret = "whsec_serve_crash"
        let stripe = StripeSimulator(options: options)
        let stripeServer = try await stripe.start()
        let environment = [
            "POSPLUS_STRIPE_BASE_URL": stripeServer.baseURL, "POSPLUS_STRIPE_SECRET_KEY": "sk_test_crash",
            "POSPLUS_STRIPE_WEBHOOK_SECRET": "whsec_serve_crash",
        ]
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let gateway = StripeGateway(
            client: StripeClient(
                configuration: StripeConfiguration(baseURL: stripeServer.baseURL, secretKey: Secret("sk_test_crash")),
                http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))))
        let reference = try PaymentReference("PCRASH\(String(format: "%010d", step.rawValue.count))")
        let created = try await gateway.createLink(
            PaymentLinkRequest(
                amount: Money(minorUnits: 460, currency: .usd), description: "Invoice #1042", invoiceID: "i1042", invoiceNumber: "1042",
                reference: reference.rawValue),
            idempotencyKey: reference.rawValue)
        let link = try ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: created.id, url: created.url, invoiceID: "i1042", invoiceNumber: "1042",
                amount: Money(minorUnits: 460, currency: .usd), reference: reference),
            actor: "test")

        let doomed = try ServeProcess(
            cli, arguments: ["--ledger", cli.ledgerPath], environment: environment.merging(["POSPLUS_TEST_KILL_AT": step.rawValue]) { $1 })
        stripe.setWebhookURL("http://127.0.0.1:\(doomed.port)/webhooks/stripe")
        _ = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, stripeServer.baseURL + "/_sim/payment_links/\(created.id)/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8)))
        #expect(try await doomed.waitForExit() == .uncaughtSignal, "serve should have died at \(step)")

        // Started again, serve processes what was stored and not yet processed.
        let again = try ServeProcess(cli, arguments: ["--ledger", cli.ledgerPath], environment: environment)
        // Another process writes the ledger: nothing here can be awaited but its result, so the
        // test reads the ledger until the link is paid (bounded).
        let deadline = ContinuousClock.now + .seconds(30)
        while try ledger.link(id: link.id)?.state != .paid, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let payments = try ledger.payments()
        #expect(payments.count == 1, "\(step): \(payments.map(\.state))")
        #expect(payments.first?.state == .approved && payments.first?.capturedMinor == 460, "\(step)")
        #expect(try ledger.link(id: link.id)?.state == .paid)
        #expect(try ledger.jobs().filter { $0.kind == JobberWriteBackJob.kind }.count == 1, "\(step): one Jobber note")
        #expect(try ledger.verifyAuditChain().isIntact)
        withExtendedLifetime(again) {}
        await stripeServer.stop()
    }
}

import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import HTTPServing
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PosPlusCore
import Server
import Testing

/// A card dispute (chargeback) as `serve` meets it: the Stripe simulator's bank disputes a
/// payment, its signed `charge.dispute.*` webhook reaches posplus's endpoint, the inbox records
/// the dispute on the payment, and the outbox job queued with it stops everything that was
/// still asking the client for money on that invoice — the decline recovery, the payment plan,
/// the reminders — cancelling their links. Real SQLite file, real sockets, all in `auto` mode.
@Suite("Card disputes stop the chasing", .timeLimit(.minutes(2)))
struct DisputeTests {
    static let invoice1044 = Seed.IDs.invoice(1044).value

    static func world() async throws -> APIWorld {
        try await APIWorld.start(
            extra: """
                [reconcile]
                time_zone = "UTC"

                [declines]
                mode = "auto"
                retry_days = "1,3"
                retry_window = "00:00-23:59"
                email_after_days = 2

                [reminders]
                mode = "auto"
                days = "-3,0,7"
                send_window = "00:00-23:59"
                under = "500.00"

                [plans]
                mode = "suggest"
                """)
    }

    /// posplus's Stripe endpoint, with the simulator sending its events there.
    struct Webhooks {
        let inbox: StripeWebhookInbox
        let server: RunningHTTPServer

        static func start(_ world: APIWorld) async throws -> Webhooks {
            let inbox = StripeWebhookInbox(
                ledger: try world.ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret(world.stripe.webhookSecret)),
                logger: Logger(label: "t"))
            let server = try await PosPlusServer(jobberInbox: nil, stripeInbox: inbox, logger: Logger(label: "t")).start(port: 0)
            world.stripe.setWebhookURL(server.baseURL + "/webhooks/stripe")
            return Webhooks(inbox: inbox, server: server)
        }
    }

    func simulator(_ world: APIWorld, _ path: String, _ form: String) async throws -> JSONValue {
        let reply = try await world.http.send(
            HTTPRequest(
                .post, world.stripeServer.baseURL + path, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(form.utf8)))
        return try JSONValue.parse(reply.body)
    }

    @Test func aDisputeEndsTheRecoveryThePlanAndTheRemindersAndRefusesARefundUntilItIsDecided() async throws {
        let world = try await Self.world()
        let ledger = try world.ledger
        let payments = try world.app.paymentService()
        _ = try await InvoiceReminderTests.fiveDaysBeforeDue(in: world)  // every reminder still ahead
        // Ada pays $20.00 of invoice #1044 ($89.99) with a saved card…
        let good = try await GatewayChannelTests.saveStripeCard(
            number: "4242424242424242", gateway: try world.app.stripeGateway(), simulatorURL: world.stripeServer.baseURL,
            secretKey: "sk_test_api", ledger: ledger)
        let paid = try await payments.charge(
            .init(
                target: .invoiceNumber("1044"), amount: Money(minorUnits: 2_000, currency: .usd), intent: .partial,
                operation: .tokenSale, savedCardID: good),
            on: try world.app.channel(forSavedCard: good), operator: "fred", idempotencyKey: try IdempotencyKey("ada-part"))
        #expect(paid.state == .approved)
        // …her other card is declined for the rest, and the recovery texts her a link.
        let short = try await GatewayChannelTests.saveStripeCard(
            number: "4000000000009995", gateway: try world.app.stripeGateway(), simulatorURL: world.stripeServer.baseURL,
            secretKey: "sk_test_api", ledger: ledger)
        let declined = try await payments.charge(
            .init(
                target: .invoiceNumber("1044"), amount: Money(minorUnits: 6_999, currency: .usd), intent: .partial, operation: .tokenSale,
                savedCardID: short, splitTender: true),
            on: try world.app.channel(forSavedCard: short), operator: "fred", idempotencyKey: try IdempotencyKey("ada-rest"))
        #expect(declined.state == .declined)
        _ = try await world.app.outboxWorker().drain()
        let recovery = try #require(try ledger.activeDeclineRecovery(invoiceID: Self.invoice1044))
        let recoveryLink = try #require(try ledger.declineSteps(recoveryID: recovery.id).first?.linkID)
        // The office also put the rest on a two-instalment plan by link; the first link went out.
        let plan = try ledger.recordPlan(
            NewPaymentPlan(
                invoiceID: Self.invoice1044, invoiceNumber: "1044", clientID: Seed.IDs.ada.value, clientName: "Ada Lovelace",
                optionNumber: 1, optionSummary: "2 instalments", reason: "Agreed at the counter.", method: .link("email:ada@example.com"),
                instalments: [
                    .init(amount: Money(minorUnits: 3_500, currency: .usd), dueAt: ledger.now()),
                    .init(amount: Money(minorUnits: 3_499, currency: .usd), dueAt: ledger.now().addingTimeInterval(14 * 86_400)),
                ]), state: .waitingApproval, actor: "fred"
        ) { _, _ in [] }
        _ = try world.app.planService().activate(planID: plan.id, by: "meg")
        _ = try await world.app.outboxWorker().drain()
        let planLink = try #require(try ledger.instalments(planID: plan.id).first?.linkID, "the first instalment's link was sent")
        // And reminders are planned around the due date.
        let reminders = try await world.app.invoiceReminders().plan(invoiceID: Self.invoice1044)
        #expect(!reminders.isEmpty)

        // The bank disputes the $20.00: Stripe's signed event reaches posplus.
        let hooks = try await Webhooks.start(world)
        let dispute = try await simulator(
            world, "/_sim/payment_intents/\(try #require(paid.processorReference))/dispute", "reason=fraudulent")
        let disputeID = try #require(dispute["id"]?.string)
        #expect(try hooks.inbox.processPending() == 1)
        let recorded = try ledger.disputes(paymentID: paid.id)
        #expect(recorded.count == 1 && recorded[0].isOpen && recorded[0].amountMinor == 2_000, "\(recorded)")
        #expect(recorded.first?.reason == "fraudulent" && recorded.first?.status == "needs_response")
        #expect(try ledger.jobs().filter { $0.kind == "disputes.opened" }.count == 1)
        _ = try await world.app.outboxWorker().drain()
        let shown = try APIWorld.object(try await world.send(as: "meg", .get, "/api/payments/\(paid.id)"))
        let listed = try #require((shown["disputes"] as? [[String: Any]])?.first, "\(shown)")
        #expect(listed["id"] as? String == disputeID && listed["open"] as? Bool == true && listed["status"] as? String == "needs_response")

        let ended = try #require(try ledger.declineRecovery(id: recovery.id))
        #expect(ended.state == .finished, "\(ended)")
        #expect(ended.finishReason?.contains("disputes payment \(paid.id)") == true, "\(ended.finishReason ?? "")")
        #expect(try ledger.link(id: recoveryLink)?.state == .cancelled, "the recovery's link can no longer take money")
        let stopped = try #require(try ledger.plan(id: plan.id))
        #expect(stopped.state == .cancelled && stopped.endedReason?.contains(disputeID) == true, "\(stopped)")
        #expect(try ledger.link(id: planLink)?.state == .cancelled, "the instalment's link can no longer take money")
        #expect(try ledger.instalments(planID: plan.id).last?.state == .cancelled)
        for reminder in try ledger.reminders(invoiceID: Self.invoice1044) {
            #expect(reminder.state == .skipped && reminder.outcome?.contains("disputes payment") == true, "\(reminder)")
        }
        // Jobber has no disputes: the client's standing for a plan counts the ledger's too.
        let proposal = try await world.app.planService().propose(invoiceNumber: "1043").proposal
        #expect(proposal.reason.contains("2 open disputes"), "\(proposal.reason)")

        // The bank is returning the money already: a refund now would return it twice.
        await #expect(throws: LedgerError.self) {
            _ = try await payments.reverse(
                paymentID: paid.id, .refund(nil), on: try world.app.channel(forSavedCard: good), operator: "meg",
                idempotencyKey: try IdempotencyKey("refund-disputed"))
        }
        do { try ledger.checkReversal(try refund(of: paid)) } catch {
            #expect("\(error)".contains("disputed by the cardholder's bank"), "\(error)")
        }

        // The business wins: the dispute closes, and the payment can be refunded again.
        _ = try await simulator(world, "/_sim/disputes/\(disputeID)/close", "status=won")
        #expect(try hooks.inbox.processPending() == 1)
        let closed = try #require(try ledger.disputes(paymentID: paid.id).first)
        #expect(!closed.isOpen && closed.status == "won" && closed.closedAt != nil)
        #expect(try ledger.standing(invoiceID: Self.invoice1044).disputes.isEmpty)
        try ledger.checkReversal(try refund(of: paid))
        let audit = try ledger.auditEvents(paymentID: paid.id).map(\.kind)
        #expect(audit.contains("payment.dispute") && audit.contains("payment.dispute.update"), "\(audit)")
        #expect(try ledger.jobs().filter { $0.kind == "disputes.opened" }.count == 1, "closing queues nothing new")
        #expect(try ledger.verifyAuditChain().isIntact)
        await hooks.server.stop()
        await world.stop()
    }

    /// A refund of all of `payment`, as the payment path asks the ledger to check it.
    func refund(of payment: PaymentRecord) throws -> PaymentRequest {
        PaymentRequest(operation: .refund, amount: payment.captured, originalPaymentID: payment.id, channel: payment.channel)
    }
}

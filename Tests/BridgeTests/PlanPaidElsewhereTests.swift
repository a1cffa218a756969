import Bridge
import Foundation
import HTTPClient
import JobberSimulator
import JobberTestSupport
import Ledger
import PosPlusCore
import Testing

/// A plan's instalment link must not stay payable once the invoice is paid another way: the
/// link is cancelled at the Stripe simulator and in the ledger by the same job that stops any
/// other link on a paid invoice, and the plan ends with the reason. Katherine (four invoices
/// paid on time in the Jobber simulator) takes invoice #1070, $1,800.00, in two instalments by
/// emailed link; both links go out, then the invoice is paid at the PAX simulator's counter or
/// recorded paid in Jobber. Real SQLite file, real sockets, the outbox `serve` drains.
@Suite("Payment plans end when the invoice is paid another way", .timeLimit(.minutes(2)))
struct PlanPaidElsewhereTests {
    static let invoice1070 = Seed.IDs.invoice(1070).value

    static func world() async throws -> APIWorld {
        var options = JobberSimulator.Options()
        options.seed = .withPaymentHistory()
        return try await APIWorld.start(extra: "[plans]\nmode = \"auto\"", jobberOptions: options)
    }

    /// Katherine's plan accepted, and each instalment's link sent on its day: the last one too.
    static func bothLinksSent(in world: APIWorld) async throws -> PaymentPlanRecord {
        let accepted = try await world.app.planService().accept(
            invoiceNumber: "1070", option: 1, method: .link("email:katherine@example.com"), by: "fred")
        guard case .accepted(let plan) = accepted else { throw Unexpected.answer("\(accepted)") }
        for instalment in try world.ledger.instalments(planID: plan.id) {
            world.clock.advance(max(0, instalment.dueAt.timeIntervalSince(world.clock.date)) + 1)
            _ = try await world.app.outboxWorker().drain()
        }
        let instalments = try world.ledger.instalments(planID: plan.id)
        #expect(instalments.count == 2 && instalments.allSatisfy { $0.state == .linkSent }, "\(instalments)")
        #expect(try instalments.allSatisfy { try world.ledger.link(id: $0.linkID ?? 0)?.state == .open })
        return plan
    }

    @Test func paidAtTheCounterTheOpenInstalmentLinksAreCancelledAndThePlanCompletes() async throws {
        let world = try await Self.world()
        let plan = try await Self.bothLinksSent(in: world)

        let paid = try await world.app.paymentService().charge(
            .init(target: .invoiceNumber("1070")), on: try world.app.channel(named: "front-desk"), operator: "fred",
            idempotencyKey: try IdempotencyKey("counter-1070"))
        #expect(paid.state == .approved && paid.capturedMinor == 180_000)
        _ = try await world.app.outboxWorker().drain()

        let ended = try #require(try world.ledger.plan(id: plan.id))
        #expect(ended.state == .completed, "\(ended)")
        #expect(
            ended.endedReason?.hasPrefix("Invoice #1070 was paid another way: nothing more is owed, so no further instalment is taken")
                == true, "\(ended.endedReason ?? "")")
        let instalments = try world.ledger.instalments(planID: plan.id)
        #expect(instalments.allSatisfy { $0.state == .cancelled }, "\(instalments)")
        for instalment in instalments {
            let linkID = try #require(instalment.linkID)
            let link = try #require(try world.ledger.link(id: linkID))
            #expect(link.state == .cancelled)
            #expect(try await Self.pay(link, in: world).contains("payment_link_inactive"), "the link no longer takes money at Stripe")
            #expect(ended.endedReason?.contains("instalment \(instalment.number)'s link \(link.id)") == true)
        }
        await world.stop()
    }

    @Test func paidInJobberTheWebhookCancelsTheLastInstalmentLinkAndThePlanCompletes() async throws {
        let world = try await Self.world()
        let plan = try await Self.bothLinksSent(in: world)

        // The office records a cheque for the whole balance in Jobber; Jobber's INVOICE_UPDATE
        // reaches the inbox `serve` runs.
        _ = await world.jobber.recordPayment(invoice: Seed.IDs.invoice(1070), cents: 180_000)
        let inbox = try #require(try world.app.webhookInboxes().jobber)
        let update = world.jobber.signedWebhook(topic: "INVOICE_UPDATE", itemID: Self.invoice1070)
        _ = try inbox.receive(body: update.body, signature: update.signature)
        _ = try inbox.processPending()
        _ = try await world.app.outboxWorker().drain()

        let ended = try #require(try world.ledger.plan(id: plan.id))
        #expect(ended.state == .completed && ended.endedReason?.contains("paid another way") == true, "\(ended)")
        let last = try #require(try world.ledger.instalments(planID: plan.id).last)
        #expect(last.state == .cancelled)
        let linkID = try #require(last.linkID)
        let link = try #require(try world.ledger.link(id: linkID))
        #expect(link.state == .cancelled)
        #expect(try await Self.pay(link, in: world).contains("payment_link_inactive"))
        #expect(try world.ledger.payments(invoiceID: Self.invoice1070).isEmpty, "nothing was charged by posplus")
        await world.stop()
    }

    @Test func aPlanStaffCancelHasItsOpenInstalmentLinksCancelledToo() async throws {
        let world = try await Self.world()
        let plan = try await Self.bothLinksSent(in: world)
        let cancelled = try await world.app.planService().cancel(planID: plan.id, reason: "client will pay in full on Friday", by: "meg")
        #expect(cancelled.state == .cancelled && cancelled.endedReason == "Cancelled by meg: client will pay in full on Friday")
        for instalment in try world.ledger.instalments(planID: plan.id) {
            #expect(instalment.state == .cancelled, "\(instalment)")
            let linkID = try #require(instalment.linkID)
            let link = try #require(try world.ledger.link(id: linkID))
            #expect(link.state == .cancelled)
            #expect(try await Self.pay(link, in: world).contains("payment_link_inactive"))
        }
        await world.stop()
    }

    /// The client tries to pay `link` at the Stripe simulator; its answer.
    static func pay(_ link: PaymentLinkRecord, in world: APIWorld) async throws -> String {
        try await world.http.send(
            HTTPRequest(
                .post, world.stripeServer.baseURL + "/_sim/payment_links/\(link.processorLinkID)/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8))
        ).text
    }

    enum Unexpected: Error { case answer(String) }
}

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
import Messaging
import PosPlusCore
import Receivables
import Server
import Testing

/// A card refused on a payment link's own page (Stripe's Checkout): the signed
/// `payment_intent.payment_failed` event reaches posplus's endpoint, the decline is recorded
/// as a payment of its own, and its recovery follows — nothing at once (the customer holds the
/// link), a new link by email if still unpaid days later, which takes the old one back.
/// Stripe simulator, Jobber simulator, real SQLite file and sockets.
@Suite("Declines on a payment link's page", .timeLimit(.minutes(2)))
struct LinkPageDeclineTests {
    struct Page {
        let world: APIWorld
        let inbox: StripeWebhookInbox
        let server: RunningHTTPServer
        let link: PaymentLinkRecord

        /// Declines in auto mode; a $89.99 link for invoice #1044 emailed to Ada; Stripe's events
        /// sent to posplus.
        static func start(declines: String = "auto") async throws -> Page {
            let world = try await DeclineRecoveryTests.world(mode: declines)
            var inbox = StripeWebhookInbox(
                ledger: try world.ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret(world.stripe.webhookSecret)),
                logger: Logger(label: "t"))
            inbox.declineMode = world.app.config.declines.mode
            let server = try await PosPlusServer(jobberInbox: nil, stripeInbox: inbox, logger: Logger(label: "t")).start(port: 0)
            world.stripe.setWebhookURL(server.baseURL + "/webhooks/stripe")
            let link = try await world.app.paymentLinkService().send(
                invoiceNumber: "1044", amount: nil, to: .email(try EmailAddress("ada@example.com")), operator: "fred")
            return Page(world: world, inbox: inbox, server: server, link: link)
        }

        /// The customer types `card` on the page of `link` (this page's own by default).
        @discardableResult
        func pay(card: String, link: PaymentLinkRecord? = nil) async throws -> Int {
            let path = "/_sim/payment_links/\((link ?? self.link).processorLinkID)/pay"
            let reply = try await world.http.send(
                HTTPRequest(
                    .post, world.stripeServer.baseURL + path, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array("card=\(card)".utf8)))
            _ = try inbox.processPending()
            return reply.status
        }

        func stop() async {
            await server.stop()
            await world.stop()
        }
    }

    static func pageDeclines(_ ledger: Ledger) throws -> [PaymentRecord] {
        try ledger.payments(limit: 50).filter { $0.idempotencyKey.hasPrefix("link-") }
    }

    @Test func aDeclineOnTheLinksPageStartsARecoveryThatEmailsANewLinkLaterAndTakesTheOldOneBack() async throws {
        let page = try await Page.start()
        let ledger = try page.world.ledger
        #expect(try await page.pay(card: "4000000000009995") == 402)
        let declined = try #require(try Self.pageDeclines(ledger).first)
        #expect(declined.state == .declined && declined.channel == "link:stripe" && declined.requestedMinor == 8_999)
        #expect(declined.invoiceNumber == "1044" && declined.capturedMinor == 0)
        #expect(try ledger.jobs().contains { $0.kind == "declines.start" && $0.paymentID == declined.id })
        // What `posplus declines plan` says of it: nothing at once, the email later.
        let evidence = try #require(DeclineEvidence(payment: declined, attempts: try ledger.attempts(paymentID: declined.id)))
        let plan = try await page.world.app.declinePlanLines(for: declined, evidence: evidence)
        #expect(plan.contains { $0.contains("may try another card on it now; nothing is sent at once") }, "\(plan)")
        #expect(!plan.contains { $0.contains("text the customer") } && plan.contains { $0.contains("email") }, "\(plan)")
        try await DeclineRecoveryTests.drain(page.world)

        let recovery = try DeclineRecoveryTests.recovery(page.world)
        #expect(recovery.paymentID == declined.id && recovery.state == .active && recovery.savedCardID == nil)
        #expect(recovery.explanation.contains("insufficient_funds"), "\(recovery.explanation)")
        #expect(try DeclineRecoveryTests.steps(page.world).isEmpty, "the customer holds the link: nothing is sent at once")
        #expect(try ledger.link(id: page.link.id)?.state == .open, "they may try another card on it")

        // Two days on, still unpaid: a new link by email, and the page's link is taken back.
        try await DeclineRecoveryTests.wakeUp(page.world, recovery)
        let email = try #require(try DeclineRecoveryTests.steps(page.world).first)
        #expect(email.action == .emailLink && email.state == .done, "\(email)")
        #expect(email.reason.contains("declined on the payment page"), "\(email.reason)")
        let newLinkID = try #require(email.linkID)
        let newLink = try #require(try ledger.link(id: newLinkID))
        #expect(newLink.amount == Money(minorUnits: 8_999, currency: .usd))
        #expect(try ledger.link(id: page.link.id)?.state == .cancelled, "one live link: the customer pays the newest")

        // Ada pays the new link: the recovery ends, and nothing more is sent.
        #expect(try await page.pay(card: "4242424242424242", link: newLink) == 200)
        try await DeclineRecoveryTests.drain(page.world)
        let ended = try DeclineRecoveryTests.recovery(page.world)
        #expect(ended.state == .finished, "\(ended)")
        #expect(try ledger.verifyAuditChain().isIntact)
        await page.stop()
    }

    @Test func anotherCardOnTheSamePageEndsTheRecoveryBeforeItSendsAnything() async throws {
        let page = try await Page.start()
        let ledger = try page.world.ledger
        #expect(try await page.pay(card: "4000000000009995") == 402)
        try await DeclineRecoveryTests.drain(page.world)
        #expect(try await page.pay(card: "4242424242424242") == 200)
        try await DeclineRecoveryTests.drain(page.world)
        let recovery = try DeclineRecoveryTests.recovery(page.world)
        #expect(recovery.state == .finished && recovery.finishReason?.contains("paid") == true, "\(recovery)")
        #expect(try DeclineRecoveryTests.steps(page.world).isEmpty)
        #expect(try ledger.link(id: page.link.id)?.state == .paid)
        // A decline arriving after the link was paid (events come in any order) records nothing.
        #expect(try await page.pay(card: "4000000000009995") == 400, "a paid link takes no more payments")
        #expect(try Self.pageDeclines(ledger).count == 1)
        await page.stop()
    }

    @Test func inSuggestModeTheLaterEmailWaitsForAPersonAndThePagesLinkStaysOpen() async throws {
        let page = try await Page.start(declines: "suggest")
        let ledger = try page.world.ledger
        #expect(try await page.pay(card: "4000000000009995") == 402)
        try await DeclineRecoveryTests.drain(page.world)
        try await DeclineRecoveryTests.wakeUp(page.world, try DeclineRecoveryTests.recovery(page.world))
        let proposed = try #require(try DeclineRecoveryTests.steps(page.world).first)
        #expect(proposed.action == .emailLink && proposed.state == .proposed, "\(proposed)")
        let approvalID = try #require(proposed.approvalID)
        let approval = try #require(try ledger.approval(id: approvalID))
        #expect(approval.state == .waiting && approval.reason.contains("declined on the payment page"), "\(approval.reason)")
        #expect(try ledger.links(limit: 10).count == 1, "nothing is sent without a person")
        #expect(try ledger.link(id: page.link.id)?.state == .open)
        await page.stop()
    }

    @Test func withDeclinesOffTheDeclineIsRecordedButStartsNothing() async throws {
        let page = try await Page.start(declines: "off")
        let ledger = try page.world.ledger
        #expect(try await page.pay(card: "4000000000009987") == 402)
        #expect(try Self.pageDeclines(ledger).first?.state == .declined)
        try await DeclineRecoveryTests.drain(page.world)
        #expect(try ledger.declineRecoveries().isEmpty)
        #expect(try ledger.link(id: page.link.id)?.state == .open)
        await page.stop()
    }
}

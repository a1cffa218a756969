import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import HTTPServing
import Ledger
import Logging
import PosPlusCore
import Server
import TestSupport
import Testing

/// A paid link is never lost to a failure while its webhook is processed. The Stripe simulator
/// sends real signed events to posplus's endpoint; time (the ledger's and the retry timer's)
/// moves only when the test moves it.
@Suite("Stripe webhooks: a failed try is tried again, not dropped", .timeLimit(.minutes(1)))
struct StripeWebhookRetryTests {
    struct Harness {
        let folder: URL
        let ledger: Ledger
        let wallClock: SteppingDate
        let timer: ManualClock
        let stripe: StripeSimulator
        let stripeServer: RunningHTTPServer
        let posplus: RunningHTTPServer
        let processing: WebhookProcessing
        let loop: Task<Void, Never>
        let passes: AsyncStream<Int>

        static func start() async throws -> Harness {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-stripe-retry-\(UUID().uuidString)")
            // Near real time (the verifier checks signatures against it), in whole seconds as the
            // ledger stores times to the millisecond.
            let wallClock = SteppingDate(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests, clock: { wallClock.date })
            let stripe = StripeSimulator()
            let stripeServer = try await stripe.start()
            let inbox = StripeWebhookInbox(
                ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret(stripe.webhookSecret)), logger: Logger(label: "t"))
            let timer = ManualClock()
            let processing = WebhookProcessing(inboxes: [inbox], logger: Logger(label: "t"), clock: timer)
            let (passes, report) = AsyncStream<Int>.makeStream()
            let loop = Task { await processing.run { report.yield($0) } }
            let posplus = try await PosPlusServer(jobberInbox: nil, stripeInbox: inbox, processing: processing, logger: Logger(label: "t"))
                .start(port: 0)
            stripe.setWebhookURL(posplus.baseURL + "/webhooks/stripe")
            return Harness(
                folder: folder, ledger: ledger, wallClock: wallClock, timer: timer, stripe: stripe, stripeServer: stripeServer,
                posplus: posplus, processing: processing, loop: loop, passes: passes)
        }

        /// A link for invoice #1042 at the simulator and in the ledger, as `link send` leaves it.
        func link(cents: Int64) async throws -> (PaymentLinkRecord, String) {
            let gateway = StripeGateway(
                client: StripeClient(
                    configuration: StripeConfiguration(baseURL: stripeServer.baseURL, secretKey: Secret("sk_test_t")),
                    http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))))
            var generator = SystemRandomNumberGenerator()
            let reference = PaymentReference.random(using: &generator)
            let amount = Money(minorUnits: cents, currency: .usd)
            let link = try await gateway.createLink(
                PaymentLinkRequest(
                    amount: amount, description: "Invoice #1042", invoiceID: "i1042", invoiceNumber: "1042", reference: reference.rawValue),
                idempotencyKey: reference.rawValue)
            let record = try ledger.recordLink(
                NewPaymentLink(
                    processor: "stripe", processorLinkID: link.id, url: link.url, invoiceID: "i1042", invoiceNumber: "1042", amount: amount,
                    reference: reference),
                actor: "test")
            return (record, link.id)
        }

        /// The customer pays at the simulator's checkout; returns the session.
        func pay(_ stripeLink: String, _ form: String) async throws -> JSONValue {
            let reply = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
                HTTPRequest(
                    .post, stripeServer.baseURL + "/_sim/payment_links/\(stripeLink)/pay",
                    headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8)))
            return try JSONValue.parse(reply.body)
        }

        /// Waits until processing passes have finished `count` more events.
        func processed(_ count: Int) async {
            var handled = 0
            for await pass in passes {
                handled += pass
                if handled >= count { return }
            }
        }

        /// Runs `sql` on the ledger file from another process (the sqlite3 shell), as another
        /// program holding the same file would.
        func sqlite(_ sql: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [ledger.path, sql]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }

        func stop() async {
            await posplus.stop()
            processing.finish()
            await loop.value
            await stripeServer.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func aFailedTryLeavesThePaidLinkPendingAndTheRetryTimerRecordsIt() async throws {
        let h = try await Harness.start()
        let (link, stripeLink) = try await h.link(cents: 2_500)
        // Another program makes every new payment row fail, as a full disk or a broken file would.
        try h.sqlite("CREATE TRIGGER hiccup BEFORE INSERT ON payment BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;")
        let session = try await h.pay(stripeLink, "card=4242424242424242")
        await h.processed(1)  // payment_intent.succeeded ("noted"); the checkout is deferred, not finished
        let intent = try #require(session["payment_intent"]?.string)
        var stored = try #require(try h.ledger.webhooks().first { $0.topic == "checkout.session.completed" })
        while stored.attempts == 0 {  // the pass that tried it may still be finishing
            _ = await h.passes.first { _ in true }
            stored = try #require(try h.ledger.webhook(id: stored.id))
        }
        #expect(stored.state == .pending && stored.attempts == 1)
        #expect(stored.lastError?.contains("disk I/O error") == true)
        #expect(try h.ledger.payment(processorReference: intent) == nil)
        #expect(try h.ledger.link(id: link.id)?.state == .open)

        try h.sqlite("DROP TRIGGER hiccup;")
        let wait = WebhookRetrySchedule.delay(afterFailures: 1)
        h.wallClock.advance(wait)
        await h.timer.waitForSleepers()
        h.timer.advance(by: .seconds(wait))
        await h.processed(1)  // the timer's pass, with no new webhook to wake it
        let payment = try #require(try h.ledger.payment(processorReference: intent))
        #expect(payment.state == .approved && payment.capturedMinor == 2_500)
        #expect(try h.ledger.link(id: link.id)?.state == .paid)
        #expect(try h.ledger.webhook(id: stored.id)?.state == .processed)
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await h.stop()
    }

    @Test func anUnreadableEventEndsAsFailedAndOthersAreNotHeldUp() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-stripe-unreadable-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        let inbox = StripeWebhookInbox(
            ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret("whsec_t")), logger: Logger(label: "t"))
        let broken = try #require(
            try ledger.storeWebhook(
                source: "stripe", dedupeKey: "evt_broken", topic: "checkout.session.completed", accountID: nil, itemID: nil,
                payload: #"{"id":"evt_broken","data":"#))
        let noIntent = try #require(
            try ledger.storeWebhook(
                source: "stripe", dedupeKey: "evt_no_intent", topic: "checkout.session.completed", accountID: nil, itemID: nil,
                payload: #"{"id":"evt_no_intent","data":{"object":{"id":"cs_1","payment_link":"plink_1","payment_status":"paid"}}}"#))
        _ = try ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_1", url: "https://pay.example/plink_1", invoiceID: "i1042",
                invoiceNumber: "1042",
                amount: Money(minorUnits: 460, currency: .usd), reference: try PaymentReference("UNREADABLE000001")),
            actor: "test")
        _ = try ledger.storeWebhook(
            source: "stripe", dedupeKey: "evt_fine", topic: "charge.refunded", accountID: nil, itemID: nil,
            payload: #"{"id":"evt_fine","data":{"object":{"id":"ch_1"}}}"#)
        #expect(try inbox.processPending() == 3)
        let failed = try ledger.webhooks(state: .failed)
        #expect(Set(failed.map(\.id)) == [broken.id, noIntent.id])
        #expect(failed.first { $0.id == broken.id }?.lastError?.contains("invalid JSON") == true)
        #expect(failed.first { $0.id == noIntent.id }?.lastError?.contains("no payment_intent") == true)
        #expect(try ledger.webhooks(state: .processed).map(\.dedupeKey) == ["evt_fine"])
        #expect(try ledger.pendingWebhooks().isEmpty && ledger.nextWebhookDue() == nil)
    }
}

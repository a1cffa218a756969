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

/// Stripe's events applied to the ledger through posplus's endpoint, with the Stripe simulator
/// as the sender: bank debits through a link go pending → settled → returned; events only
/// move payments forward; a redelivered event is stored once.
@Suite("Stripe webhooks into the ledger", .timeLimit(.minutes(1)))
struct StripeWebhookInboxTests {
    struct Harness {
        let folder: URL
        let ledger: Ledger
        let stripe: StripeSimulator
        let stripeServer: RunningHTTPServer
        let posplus: RunningHTTPServer
        let processing: WebhookProcessing
        let loop: Task<Void, Never>
        let passes: AsyncStream<Int>
        let gateway: StripeGateway<ContinuousClock>

        static func start(receiptMode: AutomationMode = .off) async throws -> Harness {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-stripe-hooks-\(UUID().uuidString)")
            let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
            let stripe = StripeSimulator()
            let stripeServer = try await stripe.start()
            let gateway = StripeGateway(
                client: StripeClient(
                    configuration: StripeConfiguration(baseURL: stripeServer.baseURL, secretKey: Secret("sk_test_t")),
                    http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))))
            var inbox = StripeWebhookInbox(
                ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret(stripe.webhookSecret)), logger: Logger(label: "t"))
            inbox.gatewayChannels = ["stripe": GatewayChannel(name: "stripe", gateway: gateway)]
            inbox.receiptMode = receiptMode
            let processing = WebhookProcessing(inboxes: [inbox], logger: Logger(label: "t"))
            let (passes, report) = AsyncStream<Int>.makeStream()
            let loop = Task { await processing.run { report.yield($0) } }
            let posplus = try await PosPlusServer(jobberInbox: nil, stripeInbox: inbox, processing: processing, logger: Logger(label: "t"))
                .start(port: 0)
            stripe.setWebhookURL(posplus.baseURL + "/webhooks/stripe")
            return Harness(
                folder: folder, ledger: ledger, stripe: stripe, stripeServer: stripeServer, posplus: posplus, processing: processing,
                loop: loop,
                passes: passes, gateway: gateway)
        }

        /// A link for invoice #1042 recorded in the ledger, as `link send` leaves it.
        func link(cents: Int64, invoiceID: String = "i1042") async throws -> (PaymentLinkRecord, String) {
            var generator = SystemRandomNumberGenerator()
            let reference = PaymentReference.random(using: &generator)
            let amount = Money(minorUnits: cents, currency: .usd)
            let link = try await gateway.createLink(
                PaymentLinkRequest(
                    amount: amount, description: "Invoice #1042", invoiceID: invoiceID, invoiceNumber: "1042", reference: reference.rawValue
                ),
                idempotencyKey: reference.rawValue)
            let record = try ledger.recordLink(
                NewPaymentLink(
                    processor: "stripe", processorLinkID: link.id, url: link.url, invoiceID: invoiceID, invoiceNumber: "1042",
                    amount: amount,
                    reference: reference),
                actor: "test")
            return (record, link.id)
        }

        func control(_ path: String, _ form: String) async throws -> JSONValue {
            let reply = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
                HTTPRequest(
                    .post, stripeServer.baseURL + path, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array(form.utf8)))
            return try JSONValue.parse(reply.body)
        }

        /// Waits until `condition` holds, checking after each processing pass.
        func processed(until condition: () throws -> Bool) async rethrows {
            if try condition() { return }
            for await _ in passes where try condition() { return }
        }

        /// Waits until processing passes have handled `count` more events.
        func processed(_ count: Int) async {
            var handled = 0
            for await pass in passes {
                handled += pass
                if handled >= count { return }
            }
        }

        func stop() async {
            await posplus.stop()
            processing.finish()
            await loop.value
            await stripeServer.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func aBankDebitThroughALinkGoesPendingThenSettledThenReturned() async throws {
        let h = try await Harness.start()
        let (link, stripeLink) = try await h.link(cents: 25_000)
        let session = try await h.control("/_sim/payment_links/\(stripeLink)/pay", "bank_account=000123456789")
        await h.processed(2)  // payment_intent.processing, checkout.session.completed
        let intent = try #require(session["payment_intent"]?.string)
        var payment = try #require(try h.ledger.payment(processorReference: intent))
        #expect(payment.operation == .achDebit && payment.state == .pending)
        #expect(try h.ledger.link(id: link.id)?.state == .paid)

        _ = try await h.control("/_sim/payment_intents/\(intent)/settle", "outcome=succeeded")
        await h.processed(2)  // payment_intent.succeeded, checkout.session.async_payment_succeeded
        payment = try #require(try h.ledger.payment(id: payment.id))
        #expect(payment.state == .settled)

        _ = try await h.control("/_sim/payment_intents/\(intent)/settle", "outcome=returned")
        await h.processed(1)  // charge.failed
        payment = try #require(try h.ledger.payment(id: payment.id))
        #expect(payment.state == .returned)
        #expect(payment.message == "insufficient_funds")
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await h.stop()
    }

    @Test func aLateFailureNeverUndoesACardPaymentAndRedeliveryIsStoredOnce() async throws {
        let h = try await Harness.start()
        let (link, stripeLink) = try await h.link(cents: 460)
        let session = try await h.control("/_sim/payment_links/\(stripeLink)/pay", "card=4242424242424242")
        await h.processed(2)  // payment_intent.succeeded, checkout.session.completed
        let intent = try #require(session["payment_intent"]?.string)
        let payment = try #require(try h.ledger.payment(processorReference: intent))
        #expect(payment.state == .approved && payment.capturedMinor == 460)
        #expect(try h.ledger.link(id: link.id)?.paymentID == payment.id)

        // A payment_failed for the same intent, arriving late (say, from an earlier attempt).
        let body = Array(
            #"{"id":"evt_late_1","object":"event","type":"payment_intent.payment_failed","created":1,"data":{"object":{"id":"\#(intent)","object":"payment_intent","status":"requires_payment_method"}}}"#
                .utf8)
        let signature = StripeWebhookVerifier(endpointSecret: Secret(h.stripe.webhookSecret)).signatureHeader(for: body, at: Date())
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        let post = HTTPRequest(
            .post, h.posplus.baseURL + "/webhooks/stripe",
            headers: [("Content-Type", "application/json"), ("Stripe-Signature", signature)], body: body)
        #expect(try await http.send(post).text.contains("stored"))
        #expect(try await http.send(post).text.contains("duplicate"))
        await h.processed(1)
        #expect(try h.ledger.payment(id: payment.id)?.state == .approved)
        var forged = post
        forged.headers = [("Content-Type", "application/json"), ("Stripe-Signature", "t=1,v1=" + String(repeating: "0", count: 64))]
        #expect(try await http.send(forged).status == 401)
        await h.stop()
    }

    /// A checkout opened before its link was cancelled can still complete: the money is in, so
    /// it is recorded — and the event's result tells the office to check for a double payment.
    @Test func aPaymentOnACancelledLinkIsRecordedAndFlaggedForAPerson() async throws {
        let h = try await Harness.start()
        let (link, stripeLink) = try await h.link(cents: 460)
        try h.ledger.closeLink(id: link.id, as: .cancelled, actor: "test")  // the processor's side still takes it
        _ = try await h.control("/_sim/payment_links/\(stripeLink)/pay", "card=4242424242424242")
        await h.processed(2)
        let payment = try #require(try h.ledger.payments(limit: 5).first)
        #expect(payment.state == .approved && payment.capturedMinor == 460)
        let result = try h.ledger.webhooks(limit: 10).compactMap(\.result).first { $0.contains("link \(link.id) paid") }
        #expect(result?.contains("the link had been cancelled: check invoice #1042 is not overpaid") == true, "\(result ?? "none")")
        await h.stop()
    }

    /// A dispute whose amount the payment never took is still recorded (the processor moved
    /// the money as it says), and flagged; a dispute of a payment posplus never took is noted.
    @Test func aDisputeOfMoreThanThePaymentTookIsRecordedAndFlagged() async throws {
        let h = try await Harness.start()
        let (_, stripeLink) = try await h.link(cents: 460)
        let session = try await h.control("/_sim/payment_links/\(stripeLink)/pay", "card=4242424242424242")
        await h.processed(2)
        let intent = try #require(session["payment_intent"]?.string)
        let payment = try #require(try h.ledger.payment(processorReference: intent))
        let verifier = StripeWebhookVerifier(endpointSecret: Secret(h.stripe.webhookSecret))
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        for (event, intentID) in [("evt_dp_big", intent), ("evt_dp_stranger", "pi_not_ours")] {
            let body = Array(
                #"{"id":"\#(event)","object":"event","type":"charge.dispute.created","created":1,"data":{"object":{"id":"dp_\#(event)","object":"dispute","amount":99999,"currency":"eur","payment_intent":"\#(intentID)","reason":"fraudulent","status":"needs_response"}}}"#
                    .utf8)
            let post = HTTPRequest(
                .post, h.posplus.baseURL + "/webhooks/stripe",
                headers: [("Content-Type", "application/json"), ("Stripe-Signature", verifier.signatureHeader(for: body, at: Date()))],
                body: body)
            #expect(try await http.send(post).text.contains("stored"))
        }
        await h.processed(2)
        let disputes = try h.ledger.disputes(openOnly: false)
        #expect(disputes.count == 1 && disputes.first?.paymentID == payment.id && disputes.first?.amountMinor == 99_999)
        let results = try h.ledger.webhooks(limit: 10).compactMap(\.result)
        #expect(results.contains { $0.contains("check: it disputes €999.99 of a payment that took $4.60") }, "\(results)")
        #expect(results.contains("noted: not a posplus payment"), "\(results)")
        await h.stop()
    }

    @Test func aLinkPaidByCardInAutoModeQueuesItsReceiptOnce() async throws {
        let h = try await Harness.start(receiptMode: .auto)
        let (_, stripeLink) = try await h.link(cents: 460)
        let session = try await h.control("/_sim/payment_links/\(stripeLink)/pay", "card=4242424242424242")
        await h.processed(2)  // payment_intent.succeeded, checkout.session.completed
        let intent = try #require(session["payment_intent"]?.string)
        let payment = try #require(try h.ledger.payment(processorReference: intent))
        let receipts = try h.ledger.jobs().filter { $0.kind == ReceiptDelivery.kind }
        #expect(receipts.map(\.dedupeKey) == [ReceiptDelivery.automaticJob(paymentID: payment.id).dedupeKey])
        await h.stop()
    }
}

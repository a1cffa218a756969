import Bridge
import Foundation
import Gateway
import HTTPClient
import Ledger
import Logging
import PosPlusCore
import Reconcile
import Testing

/// Reconcile's processor side against the Stripe simulator on a real port: a refund made in
/// Stripe's dashboard is recorded through the payment path with `--apply` (refund ceiling and
/// Jobber note), a dispute is shown for a person, a payout breaks down to the cent into charges,
/// refunds, disputes and fees, and a bank debit whose settlement webhook was lost — or a
/// terminal's debit past its clearing window — is settled with its note.
@Suite("Reconcile: refunds, disputes, payouts and clearing at the processor", .timeLimit(.minutes(1)))
struct ReconcileProcessorTests {
    typealias StripeHarness = StripeWebhookInboxTests.Harness

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    func service(_ ledger: Ledger, _ gateway: some PaymentGateway, channel: any PaymentChannel)
        -> ReconcileService<ContinuousClock>
    {
        ReconcileService(
            ledger: ledger, gateway: gateway, jobber: nil, channelThatTook: { _ in channel }, processorChannels: ["stripe", "link:stripe"],
            linkCanceller: nil, logger: Logger(label: "t"))
    }

    /// What the office does in Stripe's dashboard: a refund posplus never asked for.
    func refundOutside(_ h: StripeHarness, intent: String, cents: Int64) async throws {
        let reply = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, h.stripeServer.baseURL + "/v1/refunds",
                headers: [("Authorization", "Bearer sk_test_t"), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("payment_intent=\(intent)&amount=\(cents)".utf8)))
        #expect(reply.status == 200)
    }

    @Test func aRefundMadeInStripeIsRecordedADisputeIsShownAndThePayoutAddsUp() async throws {
        let h = try await StripeHarness.start()
        let p = try await PaymentServiceTests.Harness.start()
        let stripe = GatewayChannel(name: "stripe", gateway: h.gateway)
        let card = try await GatewayChannelTests().savedStripeCard(h, p)
        let charged = try await p.service.charge(
            .init(target: .invoiceNumber("1044"), operation: .tokenSale, savedCardID: card), on: stripe, operator: "ada",
            idempotencyKey: try IdempotencyKey("recon-stripe-1"))
        let intent = try #require(charged.processorReference)
        #expect(charged.capturedMinor == 8_999)

        try await refundOutside(h, intent: intent, cents: 1_000)
        let dispute = try await h.control("/_sim/payment_intents/\(intent)/dispute", "amount=2000&reason=fraudulent")
        let payout = try await h.control("/_sim/payouts", "")
        // 89.99 − fee (2.9% + 30¢ = 2.91) − 10.00 refunded − 20.00 disputed − 15.00 dispute fee.
        #expect(payout["amount"]?.int == 8_999 - 291 - 1_000 - 2_000 - 1_500)

        let reconcile = service(p.ledger, h.gateway, channel: stripe)
        let since = p.ledger.now().addingTimeInterval(-3_600)
        let until = p.ledger.now().addingTimeInterval(60)
        let first = try await reconcile.run(since: since, until: until, apply: false, actor: "office")
        let outside = first.toReview.filter { $0.kind == .reversedOutside }
        #expect(first.toReview.count == 2 && outside.count == 2, "\(first.toReview.map(\.key))")
        let refundItem = try #require(outside.first { $0.action != nil })
        #expect(refundItem.difference == usd(1_000) && refundItem.action == .recordReversals(paymentID: charged.id))
        let disputeItem = try #require(outside.first { $0.action == nil })
        #expect(disputeItem.key == "reversed-outside:\(dispute["id"]?.string ?? "?")" && disputeItem.difference == usd(2_000))

        let breakdown = try #require(first.payouts.first)
        #expect(breakdown.figures.grossMinor == 8_999 && breakdown.figures.refundsMinor == 1_000)
        #expect(breakdown.figures.disputesMinor == 2_000 && breakdown.figures.feesMinor == 291 + 1_500)
        #expect(breakdown.figures.netMinor == breakdown.amountMinor, "a payout breaks down to the cent")
        let day = try #require(first.totals.first)
        #expect(day.processor.feesMinor == 1_791 && day.processor.netMinor == breakdown.amountMinor)

        let applied = try await reconcile.run(since: since, until: until, apply: true, actor: "office")
        #expect(applied.applied.count == 1, "\(applied.applied)")
        let original = try #require(try p.ledger.payment(id: charged.id))
        #expect(original.state == .partiallyRefunded && original.refundedMinor == 1_000, "the refund ceiling fell")
        let reversal = try #require(try p.ledger.reversals(of: charged.id).first)
        #expect(reversal.operation == .refund && reversal.capturedMinor == 1_000 && reversal.processorReference?.hasPrefix("re_") == true)
        #expect(try p.writeBacks().count == 2, "the payment's note and the refund's note")

        let again = try await reconcile.run(since: since, until: until, apply: true, actor: "office")
        #expect(again.toReview.map(\.key) == [disputeItem.key], "only the dispute waits for a person")
        #expect(again.applied.isEmpty, "a second run records nothing twice")
        #expect(try p.ledger.reversals(of: charged.id).count == 1)
        #expect(try p.ledger.verifyAuditChain().isIntact)
        await p.stop()
        await h.stop()
    }

    @Test func aBankDebitWhoseSettlementWebhookWasLostIsSettledFromWhatStripeReports() async throws {
        let h = try await StripeHarness.start()
        let (_, stripeLink) = try await h.link(cents: 25_000)
        let session = try await h.control("/_sim/payment_links/\(stripeLink)/pay", "bank_account=000123456789")
        await h.processed(2)  // payment_intent.processing, checkout.session.completed
        let intent = try #require(session["payment_intent"]?.string)
        let pending = try #require(try h.ledger.payment(processorReference: intent))
        #expect(pending.state == .pending)

        let channel = GatewayChannel.reportedOnly(name: "link:stripe")
        let reconcile = service(h.ledger, h.gateway, channel: channel)
        let since = h.ledger.now().addingTimeInterval(-3_600)
        let until = h.ledger.now().addingTimeInterval(60)
        let clearing = try await reconcile.run(since: since, until: until, apply: true, actor: "office")
        #expect(clearing.items.contains { $0.kind == .expected && $0.action == nil }, "processing at Stripe: nothing to do yet")
        #expect(try h.ledger.payment(id: pending.id)?.state == .pending)

        h.stripe.setWebhookURL(nil)  // the bank's answer arrives, its webhook never does
        _ = try await h.control("/_sim/payment_intents/\(intent)/settle", "outcome=succeeded")
        let notes = try h.ledger.jobs().filter { $0.kind == JobberWriteBackJob.kind }.count
        let settled = try await reconcile.run(since: since, until: until, apply: true, actor: "office")
        #expect(settled.applied.count == 1, "\(settled.items.map(\.key))")
        #expect(try h.ledger.payment(id: pending.id)?.state == .settled)
        #expect(try h.ledger.jobs().filter { $0.kind == JobberWriteBackJob.kind }.count == notes + 1, "its note, which waited")
        let again = try await reconcile.run(since: since, until: until, apply: true, actor: "office")
        #expect(again.applied.isEmpty && again.toReview.isEmpty, "\(again.items.map(\.key))")
        await h.stop()
    }

    @Test func aTerminalBankDebitPastItsClearingWindowIsSettledWithItsNote() async throws {
        let p = try await PaymentServiceTests.Harness.start()
        let debit = try await p.charge(.init(target: .invoiceNumber("1044"), operation: .achDebit), key: "recon-ach")
        #expect(debit.state == .pending)
        let notes = try p.writeBacks().count
        let reconcile = ReconcileService<ContinuousClock>(
            ledger: p.ledger, gateway: nil, jobber: nil, channelThatTook: { [channel = p.channel] _ in channel }, processorChannels: [],
            linkCanceller: nil, logger: Logger(label: "t"))
        let since = p.ledger.now().addingTimeInterval(-3_600)

        let early = try await reconcile.run(since: since, until: p.ledger.now().addingTimeInterval(86_400), apply: true, actor: "office")
        #expect(early.applied.isEmpty && early.items.contains { $0.kind == .expected && $0.action == nil })
        #expect(try p.ledger.payment(id: debit.id)?.state == .pending)

        let late = try await reconcile.run(since: since, until: p.ledger.now().addingTimeInterval(6 * 86_400), apply: true, actor: "office")
        #expect(late.applied.count == 1, "\(late.items.map(\.explanation))")
        #expect(try p.ledger.payment(id: debit.id)?.state == .settled)
        #expect(try p.writeBacks().count == notes + 1, "the note that waited for the debit to clear")
        await p.stop()
    }

    /// A link Stripe made for posplus that the ledger never recorded (a crash between the two),
    /// and one the ledger cancelled while Stripe kept it active: both could take money with
    /// nothing to record it against, so `--apply` deactivates them; a link made by hand at
    /// Stripe (no posplus reference) is not posplus's to touch.
    @Test func linksActiveAtStripeThatTheLedgerDoesNotHoldOpenAreDeactivated() async throws {
        let h = try await StripeHarness.start()
        let stray = try await h.gateway.createLink(
            PaymentLinkRequest(amount: usd(5_000), description: "Invoice #1042", invoiceID: "i1042", reference: "PSTRAYLINK000001"),
            idempotencyKey: "PSTRAYLINK000001")
        let (cancelled, cancelledAtStripe) = try await h.link(cents: 7_000)
        _ = try h.ledger.closeLink(id: cancelled.id, as: .cancelled, actor: "test")  // Stripe was never told
        let (kept, _) = try await h.link(cents: 9_000)
        let handMade = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, h.stripeServer.baseURL + "/v1/payment_links",
                headers: [("Authorization", "Bearer sk_test_t"), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(
                    "line_items[0][quantity]=1&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=100&line_items[0][price_data][product_data][name]=Gift"
                        .utf8)))
        #expect(handMade.status == 200)

        let reconcile = service(h.ledger, h.gateway, channel: GatewayChannel.reportedOnly(name: "link:stripe"))
        let since = h.ledger.now().addingTimeInterval(-3_600)
        let until = h.ledger.now().addingTimeInterval(60)
        let first = try await reconcile.run(since: since, until: until, apply: false, actor: "office")
        #expect(
            Set(first.toReview.map(\.key)) == ["missing-in-ledger:\(stray.id)", "paid-elsewhere:\(cancelledAtStripe)"],
            "\(first.toReview.map(\.key))")

        let applied = try await reconcile.run(since: since, until: until, apply: true, actor: "office")
        #expect(applied.applied.count == 2, "\(applied.applied)")
        let active = try await h.gateway.activity(since: since).activeLinks.map(\.reference)
        #expect(
            active.count == 2 && active.contains(kept.reference) && active.contains(nil),
            "the ledger's open link and the hand-made one stay")
        let again = try await reconcile.run(since: since, until: until, apply: true, actor: "office")
        #expect(again.toReview.isEmpty && again.applied.isEmpty, "\(again.toReview.map(\.key))")
        await h.stop()
    }
}

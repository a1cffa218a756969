import Bridge
import Foundation
import Gateway
import HTTPClient
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// Money that arrives late gets its receipt under `receipts.mode` like a counter approval: a
/// bank debit when Stripe's signed webhook says it settled (its pending answer sends nothing),
/// and a link payment reconcile adopts because its webhook never came (real `serve` wiring,
/// ``APIWorld``, mailed to a real SMTP server, aiosmtpd, with its HTML part).
@Suite("Receipts of settled debits and adopted payments", .timeLimit(.minutes(2)))
struct ReceiptSettlementTests {
    /// ``GatewayBankDebitTests``'s world (the Stripe simulator, its signed webhooks processed by
    /// the inbox on a real port, a simulated Jobber) under `receipts.mode`.
    static func world(_ mode: AutomationMode) async throws -> GatewayBankDebitTests.World {
        let h = try await GatewayBankDebitTests.Harness.start(receiptMode: mode)
        let jobber = try await SimulatedJobber.start()
        let service = PaymentService(
            ledger: h.ledger, check: ChargeCheck(invoices: jobber.invoices, rules: ChargeGuard()), logger: Logger(label: "t"))
        return GatewayBankDebitTests.World(h: h, jobber: jobber, service: service)
    }

    /// Ada's saved bank account debited $89.99 for #1044: pending.
    static func debit(_ w: GatewayBankDebitTests.World, key: String) async throws -> PaymentRecord {
        let account = try await w.cards.keep(try await w.savedAccount("000123456789"), forClient: Seed.IDs.ada.value, actor: "ada")
        let debit = try await w.debit(account.id, key: key)
        #expect(debit.state == .pending)
        return debit
    }

    static func receiptJobs(_ w: GatewayBankDebitTests.World) throws -> [OutboxJobRecord] {
        try w.h.ledger.jobs().filter { $0.kind == ReceiptDelivery.kind }
    }

    @Test func inAutoModeASettledDebitQueuesItsReceiptOnce() async throws {
        let w = try await Self.world(.auto)
        let debit = try await Self.debit(w, key: "ach-receipt")
        #expect(try Self.receiptJobs(w).isEmpty, "pending: the money is not in yet")
        _ = try await w.h.control("/_sim/payment_intents/\(try #require(debit.processorReference))/settle", "")
        try await w.h.processed { try w.h.ledger.payment(id: debit.id)?.state == .settled }
        #expect(try Self.receiptJobs(w).map(\.dedupeKey) == [ReceiptDelivery.automaticJob(paymentID: debit.id).dedupeKey])
        await w.stop()
    }

    @Test func inSuggestModeASettledDebitWaitsForAPersonToSendIt() async throws {
        let w = try await Self.world(.suggest)
        let debit = try await Self.debit(w, key: "ach-suggest")
        #expect(try w.h.ledger.receiptsWaiting().isEmpty, "pending: nothing to send yet")
        _ = try await w.h.control("/_sim/payment_intents/\(try #require(debit.processorReference))/settle", "")
        try await w.h.processed { try w.h.ledger.payment(id: debit.id)?.state == .settled }
        #expect(try Self.receiptJobs(w).isEmpty, "nothing is sent without a person")
        #expect(try w.h.ledger.receiptsWaiting().map(\.id) == [debit.id])
        await w.stop()
    }

    @Test func aLinkPaymentReconcileAdoptsGetsItsReceipt() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let world = try await APIWorld.start(extra: ReceiptTests.config(mode: "auto", smtp: sink.url))
        let gateway = try world.app.stripeGateway()
        let invoice = try await world.app.invoiceLookup().invoice(number: "1044")
        // A link paid at Stripe whose webhook never reached posplus.
        let reference = try PaymentReference("LNKRECEIPT01")
        let amount = Money(minorUnits: 8_999, currency: .usd)
        let created = try await gateway.createLink(
            PaymentLinkRequest(amount: amount, description: "Invoice #1044", invoiceID: invoice.id, reference: reference.rawValue),
            idempotencyKey: reference.rawValue)
        _ = try world.ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: created.id, url: created.url, invoiceID: invoice.id, invoiceNumber: "1044",
                amount: amount, reference: reference),
            actor: "test")
        _ = try await world.http.send(
            HTTPRequest(
                .post, world.stripeServer.baseURL + "/_sim/payment_links/\(created.id)/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8)))

        // The simulator dates the payment by the wall clock, the ledger by the test's: cover both.
        let since = min(world.clock.date, Date()).addingTimeInterval(-3_600)
        let until = max(world.clock.date, Date()).addingTimeInterval(2 * 3_600)
        _ = try await world.app.reconcileService().run(since: since, until: until, apply: true, actor: "meg")
        let adopted = try #require(try world.ledger.payments().first { $0.channel == "link:stripe" })
        #expect(adopted.state == .approved && adopted.capturedMinor == 8_999)
        #expect(try ReceiptTests.receiptJobs(world).map(\.dedupeKey) == [ReceiptDelivery.automaticJob(paymentID: adopted.id).dedupeKey])

        // Emailed with the text and the printable page, both; the page's values escaped.
        _ = try await world.app.outboxWorker().runDueJobs()
        #expect(sink.messages.count == 1)
        let mail = try #require(sink.messages.first)
        #expect(mail.contains("To: ada@example.com"), "\(mail)")
        let parts = try #require(MIMEParts.parts(of: mail), "\(mail)")
        #expect(parts.map(\.type) == ["text/plain; charset=utf-8", "text/html; charset=utf-8"])
        #expect(parts[0].body.contains("$89.99") && parts[0].body.contains("Maple & Pine <Home>"))
        #expect(parts[1].body.contains("<h1>Maple &amp; Pine &lt;Home&gt;</h1>") && parts[1].body.contains("$89.99"), "\(parts[1].body)")
        await world.stop()
    }
}

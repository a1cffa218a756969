import Bridge
import Foundation
import HTTPClient
import Ledger
import PosPlusCore
import TestSupport
import Testing

/// Receipts on the real serve: a charge on the PAX simulator over TCP against the Jobber
/// simulator's invoice #1044 (one line, $10.00 tax, $89.99), refunds and voids, sent through the
/// outbox to a real SMTP server (aiosmtpd) and a Twilio-shaped SMS endpoint on 127.0.0.1.
@Suite("Receipts: built, shown and sent through the outbox", .timeLimit(.minutes(2)))
struct ReceiptTests {
    /// The business's details, the receipt mode, and the mail and SMS services to send through.
    static func config(mode: String, smtp: String, sms: String = "http://127.0.0.1:9") -> String {
        """
        [business]
        name = "Maple & Pine <Home>"
        address = "12 Birch Road\\nSpringfield, ON K1A 0B1"
        phone = "+1 555 555 0100"

        [receipts]
        mode = "\(mode)"

        [smtp]
        url = "\(smtp)"
        from = "billing@maplepine.example"
        require_tls = false

        [sms]
        base_url = "\(sms)"
        account_sid = "AC1"
        auth_token = "token"
        from = "+15555550000"
        """
    }

    /// Charges `invoice` in full on the front-desk terminal as fred; the payment's id.
    static func charge(_ world: APIWorld, _ invoice: String, key: String) async throws -> Int64 {
        let answer = try await world.send(
            as: "fred", .post, "/api/charges", key: key, json: #"{"invoice":"\#(invoice)","terminal":"front-desk"}"#)
        #expect(answer.status == 200, "\(answer.text)")
        return try #require((try APIWorld.payment(answer)["id"] as? NSNumber)?.int64Value)
    }

    static func receipt(_ world: APIWorld, _ id: Int64, as name: String = "fred") async throws -> (text: String, html: String) {
        let answer = try await world.send(as: name, .get, "/api/payments/\(id)/receipt")
        #expect(answer.status == 200, "\(answer.text)")
        let object = try APIWorld.object(answer)
        return (try #require(object["text"] as? String), try #require(object["html"] as? String))
    }

    static func receiptJobs(_ world: APIWorld) throws -> [OutboxJobRecord] {
        try world.ledger.jobs().filter { $0.kind == ReceiptDelivery.kind }
    }

    @Test func aChipSaleHasTheInvoiceItemsTaxesMaskedCardAuthCodeAndChipFields() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let world = try await APIWorld.start(extra: Self.config(mode: "off", smtp: sink.url))
        let id = try await Self.charge(world, "1044", key: "sale-1044")
        let authCode = try #require(world.terminal.terminal.log.first?.authCode)

        let (text, html) = try await Self.receipt(world, id)
        for expected in [
            "Maple & Pine <Home>", "12 Birch Road", "Springfield, ON K1A 0B1", "+1 555 555 0100", "Payment receipt", "Invoice #1044",
            "Bill to: Ada Lovelace", "Smart thermostat", "1 × $79.99", "Subtotal", "$79.99", "Tax", "$10.00", "Total", "$89.99",
            "Paid", "VISA •••• 1111", "Chip", authCode, "VISA CREDIT", "A0000000031010", "0000008000", "E800",
        ] {
            #expect(text.contains(expected), "\(expected) in\n\(text)")
        }
        #expect(text.contains(ReceiptText.row("Paid", "$89.99")))
        // Jobber does not count posplus's payment yet; the receipt does.
        #expect(text.contains(ReceiptText.row("Balance due", "$0.00")))
        #expect(!text.contains("4111111111111111") && !html.contains("4111111111111111"))
        // Everything from config, Jobber and the terminal is escaped in the HTML.
        #expect(html.contains("Maple &amp; Pine &lt;Home&gt;") && !html.contains("<Home>"))
        #expect(html.contains("<td>A0000000031010</td>"))

        // The ledger keeps the chip's answers; mode off queues nothing.
        let payment = try #require(try world.ledger.payment(id: id))
        #expect(payment.entryMode == "chip" && payment.emvApplicationID == "A0000000031010" && payment.emvTSI == "E800")
        #expect(try Self.receiptJobs(world).isEmpty)
        #expect(try world.ledger.auditEvents(paymentID: id).allSatisfy { !$0.kind.hasPrefix("receipt.") })
        await world.stop()
    }

    @Test func aRefundAndAVoidHaveTheirOwnReceipts() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let world = try await APIWorld.start(extra: Self.config(mode: "off", smtp: sink.url))
        let sale = try await Self.charge(world, "1044", key: "sale-1044")
        let refund = try await world.send(
            as: "fred", .post, "/api/payments/\(sale)/refunds", key: "refund-1", json: #"{"amount":{"minorUnits":1001,"currency":"USD"}}"#)
        let refundID = try #require((try APIWorld.payment(refund)["id"] as? NSNumber)?.int64Value, "\(refund.text)")
        let refundText = try await Self.receipt(world, refundID).text
        #expect(refundText.contains("Refund receipt") && refundText.contains(ReceiptText.row("Refunded", "$10.01")))
        #expect(refundText.contains("VISA •••• 1111") && refundText.contains("Original payment") && refundText.contains("#\(sale)"))
        #expect(refundText.contains("Smart thermostat"))
        #expect(refundText.contains(ReceiptText.row("Balance due", "$10.01")))

        let other = try await Self.charge(world, "1060", key: "sale-1060")
        let void = try await world.send(as: "fred", .post, "/api/payments/\(other)/void", key: "void-1")
        let voidID = try #require((try APIWorld.payment(void)["id"] as? NSNumber)?.int64Value, "\(void.text)")
        let voidText = try await Self.receipt(world, voidID).text
        #expect(voidText.contains("Void receipt") && voidText.contains(ReceiptText.row("Voided", "$310.00")))
        #expect(voidText.contains("Compressor") && voidText.contains("Bill to: Bletchley Bakery"))
        await world.stop()
    }

    @Test func autoModeEmailsEachApprovalOnceThroughTheOutbox() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let world = try await APIWorld.start(extra: Self.config(mode: "auto", smtp: sink.url))
        let sale = try await Self.charge(world, "1044", key: "sale-1044")
        // Retrying the same charge returns the same payment and queues nothing more.
        #expect(try await Self.charge(world, "1044", key: "sale-1044") == sale)
        #expect(try Self.receiptJobs(world).count == 1)
        #expect(try ReceiptDelivery.automaticJob(paymentID: sale).dedupeKey == Self.receiptJobs(world).first?.dedupeKey)

        let worker = try world.app.outboxWorker()
        _ = try await worker.runDueJobs()
        _ = try await worker.runDueJobs()
        #expect(try Self.receiptJobs(world).map(\.state) == [.done])
        let mail = try #require(sink.messages.first)
        #expect(sink.messages.count == 1)
        #expect(mail.contains("To: ada@example.com"))
        #expect(mail.contains("Subject: Payment receipt from Maple & Pine <Home>: invoice #1044"))
        #expect(mail.contains("Smart thermostat") && mail.contains("$89.99") && mail.contains("A0000000031010"))
        #expect(try world.ledger.auditEvents(paymentID: sale).filter { $0.kind == "receipt.sent" }.count == 1)

        // A refund is its own payment event: one more receipt, and still one for the sale.
        let refund = try await world.send(
            as: "fred", .post, "/api/payments/\(sale)/refunds", key: "refund-1", json: #"{"amount":{"minorUnits":500,"currency":"USD"}}"#)
        #expect(refund.status == 200, "\(refund.text)")
        _ = try await worker.runDueJobs()
        #expect(sink.messages.count == 2)
        #expect(sink.messages.last?.contains("Refund receipt") == true)
        _ = try await worker.runDueJobs()
        #expect(sink.messages.count == 2)
        await world.stop()
    }

    @Test func suggestModeSendsNothingAndNotesTheReceiptIsReady() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let world = try await APIWorld.start(extra: Self.config(mode: "suggest", smtp: sink.url))
        let sale = try await Self.charge(world, "1044", key: "sale-1044")
        #expect(try Self.receiptJobs(world).isEmpty)
        _ = try await world.app.outboxWorker().runDueJobs()
        #expect(sink.messages.isEmpty)
        #expect(try world.ledger.auditEvents(paymentID: sale).filter { $0.kind == "receipt.ready" }.count == 1)
        #expect(try world.ledger.receiptsWaiting().map(\.id) == [sale])
        // A person sends it: it leaves the waiting list and goes out through the outbox.
        #expect(try await world.send(as: "fred", .post, "/api/payments/\(sale)/receipt/send", json: "{}").status == 202)
        #expect(try world.ledger.receiptsWaiting().isEmpty)
        _ = try await world.app.outboxWorker().runDueJobs()
        #expect(sink.messages.count == 1 && sink.messages.first?.contains("To: ada@example.com") == true)
        await world.stop()
    }

    @Test func aPersonSendsAReceiptBySMSThroughTheOutbox() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let texts = try LocalHTTPServer { _ in .respond(status: 201, body: Array(#"{"sid":"SM1","status":"queued"}"#.utf8)) }
        defer { texts.stop() }
        let world = try await APIWorld.start(extra: Self.config(mode: "off", smtp: sink.url, sms: texts.baseURL))
        let sale = try await Self.charge(world, "1044", key: "sale-1044")
        let queued = try await world.send(as: "fred", .post, "/api/payments/\(sale)/receipt/send", json: #"{"sms":"(555) 555-0199"}"#)
        #expect(queued.status == 202, "\(queued.text)")
        #expect(texts.requests.isEmpty)  // queued, not sent inline
        _ = try await world.app.outboxWorker().runDueJobs()
        let request = try #require(texts.requests.first)
        let body = request.text.removingPercentEncoding?.replacingOccurrences(of: "+", with: " ") ?? ""
        #expect(request.text.contains("To=%2B15555550199"))
        #expect(body.contains("payment receipt for invoice #1044") && body.contains("$89.99") && body.contains("VISA •••• 1111"))
        #expect(try Self.receiptJobs(world).map(\.state) == [.done])

        // A declined payment has no receipt to send.
        let declined = try await world.send(
            as: "fred", .post, "/api/charges", key: "decline-1",
            json: #"{"invoice":"1043","terminal":"front-desk","amount":{"minorUnits":2001,"currency":"USD"},"intent":"partial"}"#)
        let declinedID = try #require((try APIWorld.payment(declined)["id"] as? NSNumber)?.int64Value, "\(declined.text)")
        let refused = try await world.send(as: "fred", .post, "/api/payments/\(declinedID)/receipt/send", json: "{}")
        #expect(refused.status == 422 && APIWorld.error(refused)?.code == "no_receipt", "\(refused.text)")
        await world.stop()
    }

    @Test func aTechnicianMayNotSeeReceiptsAndABrowserNeedsItsCSRFToken() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let world = try await APIWorld.start(extra: Self.config(mode: "off", smtp: sink.url))
        let sale = try await Self.charge(world, "1044", key: "sale-1044")
        #expect(try await world.send(.get, "/api/payments/\(sale)/receipt").status == 401)
        #expect(try await world.send(as: "tess", .get, "/api/payments/\(sale)/receipt").status == 403)
        let session = try await world.login("fred")
        let cookie = [("Cookie", session.cookie)]
        #expect(try await world.send(.get, "/api/payments/\(sale)/receipt", headers: cookie).status == 200)
        let noToken = try await world.send(.post, "/api/payments/\(sale)/receipt/send", headers: cookie, json: "{}")
        #expect(noToken.status == 403, "\(noToken.text)")
        let withToken = try await world.send(
            .post, "/api/payments/\(sale)/receipt/send", headers: cookie + [("X-CSRF-Token", session.csrf)], json: "{}")
        #expect(withToken.status == 202, "\(withToken.text)")
        #expect(try Self.receiptJobs(world).count == 1)

        // The console's printable page is its own asset, under the console's strict policy.
        let page = try await world.send(.get, "/receipt?payment=\(sale)")
        #expect(page.status == 200 && page.text.contains("/assets/receipt.js"))
        #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
        await world.stop()
    }
}

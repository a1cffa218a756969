import Bridge
import Foundation
import Gateway
import HTTPClient
import Ledger
import Logging
import PosPlusCore
import Server
import TestSupport
import Testing

/// The technician's links page in Chromium on a phone-sized, touch screen (`console_links.py`),
/// against the real server, the Stripe simulator (whose signed webhooks reach a `serve`
/// endpoint), an SMS service on 127.0.0.1 and the Jobber simulator. The page's word alone
/// proves nothing: the test reads the text message that went out, pays the link it carries as
/// the customer would, and then checks the ledger and Jobber's note. A link over the threshold
/// waits; a manager approves it from the queue in a window of their own; it is texted as asked.
extension ConsoleBrowserTests {
    @Test func aTechnicianOnAPhoneTextsALinkTheCustomerPaysItAndALargeOneWaitsForAManager() async throws {
        try await Self.requireBrowser()
        let sms = try LocalHTTPServer { _ in .respond(status: 201, body: Array(#"{"sid":"SM1","status":"queued"}"#.utf8)) }
        defer { sms.stop() }
        let world = try await APIWorld.start(
            extra: """
                [approvals]
                link_over = "1000.00"

                [sms]
                base_url = "\(sms.baseURL)"
                account_sid = "AC123"
                auth_token = "token"
                from = "+15555550000"
                """)
        // Stripe's webhooks reach a `serve` endpoint verifying the simulator's signing secret,
        // and are processed as they arrive, as `posplus serve` does.
        let inbox = StripeWebhookInbox(
            ledger: try world.ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret(world.stripe.webhookSecret)),
            logger: Logger(label: "t"))
        let processing = WebhookProcessing(inboxes: [inbox], logger: Logger(label: "t"))
        let (passes, report) = AsyncStream<Int>.makeStream()
        let loop = Task { await processing.run { report.yield($0) } }
        let hooks = try await PosPlusServer(jobberInbox: nil, stripeInbox: inbox, processing: processing, logger: Logger(label: "t"))
            .start(port: 0)
        world.stripe.setWebhookURL(hooks.baseURL + "/webhooks/stripe")
        let folder = Self.screenshots.appendingPathComponent("links-phone")
        print("console screenshots: \(folder.path)")

        let script = try BrowserScript("console_links.py", [world.server.baseURL, folder.path, "tess", APIWorld.password, "meg"])
        let sent = try await onOwnThread { script.readUntil("SENT") }
        try #require(sent.last == "SENT", "\(sent.joined(separator: "\n"))")

        // The outbox texts the link; the customer opens the URL in the message and pays it.
        #expect(try await world.app.outboxWorker().runDueJobs() == 1)
        let texts = sms.requests.map { Self.form($0.text) }
        #expect(texts.count == 1 && texts.first?["To"] == "+15555550101", "\(texts)")
        let body = try #require(texts.first?["Body"])
        #expect(body.contains("invoice #1044, $89.99 due"), "\(body)")
        let url = try #require(body.split(separator: " ").first { $0.hasPrefix("http") }.map(String.init))
        let link = try #require(try world.ledger.links().first)
        #expect(url == link.url && link.sentBy == "tess" && link.invoiceNumber == "1044")
        let paid = try await world.http.send(
            HTTPRequest(
                .post, world.stripeServer.baseURL + "/_sim/payment_links/\(link.processorLinkID)/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8)))
        #expect(paid.status == 200, "\(paid.text)")
        var handled = 0
        for await count in passes {  // payment_intent.succeeded, then checkout.session.completed
            handled += count
            if handled >= 2 { break }
        }
        script.write("PAID")
        let result = try await onOwnThread { script.finish() }
        #expect(result.status == 0, "\(result.output)")

        // The ledger: #1044's link paid by one approved payment of $89.99; #1043's, held over the
        // threshold, sent as tess's once meg approved it; #1042's cancelled by tess.
        let links = try world.ledger.links()
        #expect(links.map(\.invoiceNumber) == ["1042", "1043", "1044"], "\(links)")
        #expect(links.map(\.state) == [.cancelled, .open, .paid] && links.allSatisfy { $0.sentBy == "tess" }, "\(links)")
        #expect(try world.ledger.auditEvents().contains { $0.kind == "link.cancelled" && $0.actor == "tess" })
        let paymentID = try #require(links.last?.paymentID)
        let payment = try #require(try world.ledger.payment(id: paymentID))
        #expect(payment.state == .approved && payment.capturedMinor == 8_999 && payment.invoiceNumber == "1044")
        let approval = try #require(try world.ledger.approvals(state: nil).first)
        #expect(approval.kind == .link && approval.state == .approved && approval.requestedBy == "tess" && approval.decidedBy == "meg")
        #expect(approval.resultLinkID == links[1].id && links[1].amountMinor == 123_456)
        #expect(try world.ledger.heldLinks().isEmpty && world.stripe.paymentLinkCount == 3)

        // Jobber's note for the payment, written back through the outbox; the approved link is
        // texted as asked; the link cancelled before its text went out is never texted.
        _ = try await world.app.outboxWorker().runDueJobs()
        let jobs = try world.ledger.jobs()
        #expect(jobs.allSatisfy { $0.state == .done }, "\(jobs)")
        #expect(jobs.filter { $0.kind == JobberWriteBackJob.kind }.count == 1 && jobs.filter { $0.kind == LinkDelivery.smsJob }.count == 3)
        let notes = world.jobber.notes(invoiceNumber: "1044").filter { $0.message.contains("[posplus \(link.reference)]") }
        #expect(notes.count == 1 && notes.first?.message.hasPrefix("Paid $89.99 by card (payment link)") == true, "\(notes)")
        let later = sms.requests.dropFirst().map { Self.form($0.text) }
        #expect(later.count == 1, "the approved link is texted; the cancelled link's text never went out")
        #expect(later.first?["Body"]?.contains("invoice #1043, $1,234.56 due. Pay securely: \(links[1].url)") == true, "\(later)")
        loop.cancel()
        processing.finish()
        await hooks.stop()
        await world.stop()
    }

    /// A Twilio-style form body as a dictionary.
    static func form(_ text: String) -> [String: String] {
        Dictionary(
            text.split(separator: "&").map { pair -> (String, String) in
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
                }
                return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
            }, uniquingKeysWith: { $1 })
    }
}

/// A browser script that talks back while it runs: the test reads its output line by line
/// (blocking on the pipe, no polling) and answers on its standard input.
final class BrowserScript: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var reader: LineReader
    private var lines: [String] = []

    init(_ script: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", ScriptServer.packageRoot.appendingPathComponent("Tests/Browser/\(script)").path] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        reader = LineReader(handle: output.fileHandleForReading)
        try process.run()
    }

    /// Every line up to and including `marker`, or up to the end of output if it never comes.
    func readUntil(_ marker: String) -> [String] {
        var seen: [String] = []
        while let line = reader.next() {
            seen.append(line)
            if line == marker { break }
        }
        lines += seen
        return seen
    }

    func write(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Reads to the end, waits for the script to exit; its status and everything it printed.
    func finish() -> (status: Int32, output: String) {
        input.fileHandleForWriting.closeFile()
        while let line = reader.next() { lines.append(line) }
        process.waitUntilExit()
        return (process.terminationStatus, lines.joined(separator: "\n"))
    }
}

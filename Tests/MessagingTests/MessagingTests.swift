import Foundation
import HTTPClient
import Logging
import Messaging
import PosPlusCore
import TestSupport
import Testing

@Suite("Contacts are validated with clear errors")
struct ContactTests {
    @Test(arguments: ["ada@example.com", " grace.hopper+invoices@navy.example.org "])
    func goodEmails(text: String) throws {
        #expect(try EmailAddress(text).value == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: ["", "ada", "ada@", "@example.com", "ada@example", "ada smith@example.com", "ada@example.com.", "a<b>@example.com"])
    func badEmails(text: String) {
        #expect(throws: MessagingError.invalidEmail(text)) { try EmailAddress(text) }
    }

    @Test func anAddressThatLooksLikeACardNumberIsRefusedWithoutRepeatingIt() {
        let refusal = #expect(throws: MessagingError.self) { try EmailAddress("4111111111111111@example.com") }
        #expect(refusal?.description.contains("4111111111111111") == false)
    }

    @Test func phonesBecomeE164() throws {
        #expect(try PhoneNumber("(555) 555-0101").e164 == "+15555550101")
        #expect(try PhoneNumber("1-555-555-0101").e164 == "+15555550101")
        #expect(try PhoneNumber("+44 20 7946 0958").e164 == "+442079460958")
        for bad in ["", "555-0101", "0555550101", "+0123456789", "555 555 01O1", "call me"] {
            #expect(throws: MessagingError.invalidPhone(bad)) { try PhoneNumber(bad) }
        }
        #expect(MessagingError.invalidPhone("call me").description.contains("\"call me\" is not a phone number"))
    }
}

@Suite("Payment-link messages by email (real SMTP server) and SMS (local endpoint)", .timeLimit(.minutes(1)))
struct MessageDeliveryTests {
    let message = PaymentLinkMessage(
        business: "Maple & Pine", invoiceNumber: "1042", amount: Money(minorUnits: 46_000, currency: .usd),
        url: "https://buy.example/plink_1")

    @Test func anEmailArrivesWithItsHeadersAndWords() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let mailer = SMTPMailer(
            settings: SMTPSettings(url: sink.url, from: try EmailAddress("billing@maplepine.example"), requireTLS: false))
        try await mailer.send(
            EmailMessage(
                to: try EmailAddress("ada@example.com"), subject: message.render(PaymentLinkMessage.defaultEmailSubject),
                body: message.render(PaymentLinkMessage.defaultEmailBody)))
        let received = try #require(sink.messages.first)
        #expect(received.contains("X-Envelope-To: ada@example.com"))
        #expect(received.contains("From: billing@maplepine.example"))
        #expect(received.contains("Subject: Invoice #1042 from Maple & Pine: $460.00"))
        #expect(received.contains("https://buy.example/plink_1"))
        #expect(received.contains("This link works until it is paid."))
    }

    @Test func requiringTLSAgainstAPlainServerFailsWithoutSending() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let mailer = SMTPMailer(settings: SMTPSettings(url: sink.url, from: try EmailAddress("billing@maplepine.example")))
        await #expect(throws: MessagingError.self) {
            try await mailer.send(EmailMessage(to: try EmailAddress("ada@example.com"), subject: "s", body: "b"))
        }
        #expect(sink.messages.isEmpty)
    }

    @Test func anSMSIsPostedTheWayTwilioTakesIt() async throws {
        let server = try LocalHTTPServer { _ in .respond(status: 201, body: Array(#"{"sid":"SM123","status":"queued"}"#.utf8)) }
        defer { server.stop() }
        let sender = SMSSender(
            settings: SMSSettings(
                baseURL: server.baseURL, accountSID: "AC123", authToken: Secret("token"), from: try PhoneNumber("+15555550000")),
            http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")))
        let text = message.render(PaymentLinkMessage.defaultSMS)
        #expect(try await sender.send(text, to: try PhoneNumber("(555) 555-0101")) == "SM123")
        let request = try #require(server.requests.first)
        #expect(request.target == "/2010-04-01/Accounts/AC123/Messages.json")
        #expect(request.headers["authorization"] == "Basic " + Data("AC123:token".utf8).base64EncodedString())
        let form = Dictionary(
            uniqueKeysWithValues: request.text.split(separator: "&").map { pair -> (String, String) in
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                return (parts[0], parts[1])
            })
        #expect(form["To"] == "+15555550101" && form["From"] == "+15555550000")
        #expect(
            form["Body"]
                == "Maple & Pine: invoice #1042, $460.00 due. Pay securely: https://buy.example/plink_1 This link works until it is paid.")
    }

    @Test func aRefusedSMSSaysWhy() async throws {
        let server = try LocalHTTPServer { _ in
            .respond(status: 400, body: Array(#"{"code":21211,"message":"The 'To' number is not valid."}"#.utf8))
        }
        defer { server.stop() }
        let sender = SMSSender(
            settings: SMSSettings(
                baseURL: server.baseURL, accountSID: "AC1", authToken: Secret("t"), from: try PhoneNumber("+15555550000")),
            http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")))
        await #expect(throws: MessagingError.sms(status: 400, message: "The 'To' number is not valid.")) {
            try await sender.send("hi", to: try PhoneNumber("+15555550101"))
        }
    }
}

@Suite("Email with an HTML part (real SMTP server)", .timeLimit(.minutes(1)))
struct HTMLEmailTests {
    @Test func textAndHTMLArriveAsAlternativesAndALongPageLineIsWrapped() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let mailer = SMTPMailer(
            settings: SMTPSettings(url: sink.url, from: try EmailAddress("billing@maplepine.example"), requireTLS: false))
        // One line far over SMTP's 998-byte limit, as ReceiptHTML writes its page.
        let page = "<!doctype html><p>Maple &amp; Pine &lt;Home&gt; — reçu</p>" + String(repeating: "<td>$1.00</td>", count: 200)
        try await mailer.send(
            EmailMessage(to: try EmailAddress("ada@example.com"), subject: "Receipt", body: "Maple & Pine\nThank you.", html: page))
        let received = try #require(sink.messages.first)
        #expect(received.contains("Content-Type: multipart/alternative; boundary="))
        #expect(received.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").allSatisfy { $0.utf8.count <= 998 })
        let parts = try #require(MIMEParts.parts(of: received), "\(received)")
        #expect(parts.map(\.type) == ["text/plain; charset=utf-8", "text/html; charset=utf-8"])
        #expect(parts[0].body.contains("Maple & Pine\n"))
        #expect(parts[1].body == page, "the page arrives byte for byte")
    }

    @Test func withoutHTMLTheMessageStaysPlainText() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let mailer = SMTPMailer(
            settings: SMTPSettings(url: sink.url, from: try EmailAddress("billing@maplepine.example"), requireTLS: false))
        try await mailer.send(EmailMessage(to: try EmailAddress("ada@example.com"), subject: "s", body: "b"))
        let received = try #require(sink.messages.first)
        #expect(received.contains("Content-Type: text/plain; charset=utf-8") && !received.contains("multipart"))
        #expect(MIMEParts.parts(of: received) == nil)
    }
}

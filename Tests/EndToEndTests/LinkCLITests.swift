import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import HTTPServing
import Jobber
import JobberSimulator
import Ledger
import Logging
import PosPlusCore
import Server
import TestSupport
import Testing

/// `posplus link send` as a real process, against the Jobber and Stripe simulators and a real
/// SMTP server: the email arrives and can be read; the customer pays the link through the
/// simulator; Stripe's signed webhook reaches posplus's endpoint; the ledger marks the link paid.
@Suite("posplus link: send by email, pay, marked paid", .timeLimit(.minutes(2)))
struct LinkCLITests {
    @Test func aLinkSentByEmailAndPaidIsPaidInTheLedger() async throws {
        let cli = try CLIRunner()
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)

        let jobber = try await ConnectedJobber.start(connecting: ledger)
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))

        var stripeOptions = StripeSimulator.Options()
        stripeOptions.webhookSecret = "whsec_e2e_links"
        let stripe = StripeSimulator(options: stripeOptions)
        let stripeServer = try await stripe.start()
        let sink = try SMTPSink()
        defer { sink.stop() }

        let inbox = StripeWebhookInbox(
            ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret("whsec_e2e_links")), logger: Logger(label: "t"))
        let processing = WebhookProcessing(inboxes: [inbox], logger: Logger(label: "t"))
        let (passes, report) = AsyncStream<Int>.makeStream()
        let loop = Task { await processing.run { report.yield($0) } }
        let posplus = try await PosPlusServer(jobberInbox: nil, stripeInbox: inbox, processing: processing, logger: Logger(label: "t"))
            .start(port: 0)
        stripe.setWebhookURL(posplus.baseURL + "/webhooks/stripe")

        let environment = [
            "POSPLUS_LEDGER_PATH": cli.ledgerPath, "POSPLUS_BUSINESS_NAME": "Maple & Pine",
            "POSPLUS_STRIPE_BASE_URL": stripeServer.baseURL, "POSPLUS_STRIPE_SECRET_KEY": "sk_test_e2e",
            "POSPLUS_SMTP_URL": sink.url, "POSPLUS_SMTP_FROM": "billing@maplepine.example", "POSPLUS_SMTP_REQUIRE_TLS": "false",
        ].merging(jobber.environment) { $1 }
        // The CLI talks to servers in this process: run it off the cooperative threads.
        let sent = try await onOwnThread {
            try cli.run(["link", "send", "--invoice", "1042", "--email", "ada@example.com"], environment: environment)
        }
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("Emailed to ada@example.com."))
        let url = try #require(sent.stdout.split(whereSeparator: \.isWhitespace).last { $0.hasPrefix("http") }.map(String.init))

        let email = try #require(sink.messages.first)
        #expect(email.contains("To: ada@example.com"))
        #expect(email.contains("Subject: Invoice #1042 from Maple & Pine: $4.60"))
        #expect(email.contains(url))

        let linkID = String(url.split(separator: "/").last ?? "")
        let paid = try await http.send(
            HTTPRequest(
                .post, stripeServer.baseURL + "/_sim/payment_links/\(linkID)/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8)))
        #expect(paid.status == 200)
        var handled = 0
        for await count in passes {  // payment_intent.succeeded, then checkout.session.completed
            handled += count
            if handled >= 2 { break }
        }
        let link = try #require(try ledger.links().first)
        #expect(link.state == .paid)
        let paymentID = try #require(link.paymentID)
        let payment = try #require(try ledger.payment(id: paymentID))
        #expect(payment.state == .approved && payment.capturedMinor == 460 && payment.invoiceNumber == "1042")
        let shown = try await onOwnThread { try cli.run(["link", "show", String(link.id)], environment: environment) }
        #expect(shown.stdout.contains("— paid"))
        // A second link, texted this time, then cancelled: refused afterwards by Stripe.
        let second = try await onOwnThread {
            try cli.run(["link", "send", "--invoice", "1043", "--amount", "100.00", "--sms", "555-555-0101"], environment: environment)
        }
        #expect(second.stdout.contains("Link 2 for invoice #1043, $100.00"))
        #expect(second.stdout.contains("Not delivered yet"))  // no SMS service configured: queued, not lost
        let listed = try await onOwnThread { try cli.run(["link", "list", "--open", "--json"], environment: environment) }
        #expect(listed.stdout.contains(#""id":2,"state":"open","invoiceNumber":"1043","currency":"USD","amountMinor":10000"#))
        #expect(!listed.stdout.contains(#""id":1,"#))
        let cancelled = try await onOwnThread { try cli.run(["link", "cancel", "2"], environment: environment) }
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        let secondURL = try #require(second.stdout.split(whereSeparator: \.isWhitespace).last { $0.hasPrefix("http") }.map(String.init))
        let refused = try await http.send(
            HTTPRequest(
                .post, stripeServer.baseURL + "/_sim/payment_links/\(secondURL.split(separator: "/").last ?? "")/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8)))
        #expect(refused.text.contains("payment_link_inactive"))
        let again = try await onOwnThread { try cli.run(["link", "cancel", "1"], environment: environment) }
        #expect(again.status != 0 && again.stderr.contains("only an open link can be cancelled"))

        // A deposit link for quote #78 (sent to Ada, $300.00 deposit): its own words, and a
        // card payment recorded as a deposit on the quote. A draft quote is refused.
        let deposit = try await onOwnThread {
            try cli.run(["link", "send", "--quote", Seed.IDs.quote(78).value, "--email", "ada@example.com"], environment: environment)
        }
        #expect(deposit.status == 0, "\(deposit.stderr)")
        #expect(deposit.stdout.contains("Link 3 for deposit on quote #78, $300.00"))
        let depositEmail = try #require(sink.messages.last)
        #expect(depositEmail.contains("Subject: Deposit for quote #78 from Maple & Pine: $300.00"))
        #expect(depositEmail.contains("To book the work in quote #78, Maple & Pine asks for a deposit of $300.00."))
        let depositURL = try #require(deposit.stdout.split(whereSeparator: \.isWhitespace).last { $0.hasPrefix("http") }.map(String.init))
        _ = try await http.send(
            HTTPRequest(
                .post, stripeServer.baseURL + "/_sim/payment_links/\(depositURL.split(separator: "/").last ?? "")/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8)))
        handled = 0
        for await count in passes {
            handled += count
            if handled >= 2 { break }
        }
        let depositLink = try #require(try ledger.link(id: 3))
        #expect(depositLink.state == .paid && depositLink.quoteNumber == "78")
        let depositPayment = try #require(try ledger.payment(id: depositLink.paymentID ?? 0))
        #expect(depositPayment.operation == .deposit && depositPayment.quoteID == Seed.IDs.quote(78).value)
        #expect(depositPayment.capturedMinor == 30_000 && depositPayment.state == .approved)
        let draft = try await onOwnThread {
            try cli.run(["link", "send", "--quote", Seed.IDs.quote(79).value, "--email", "ada@example.com"], environment: environment)
        }
        #expect(draft.status != 0 && draft.stderr.contains("Quote #79 is still a draft in Jobber"), "\(draft.stderr)")
        let both = try await onOwnThread {
            try cli.run(["link", "send", "--invoice", "1042", "--quote", "q", "--email", "ada@example.com"], environment: environment)
        }
        #expect(both.status != 0 && both.stderr.contains("Give exactly one of --invoice NUMBER or --quote ID."))

        // A link payment is given back on the same path, at Stripe.
        let refund = try await onOwnThread { try cli.run(["refund", String(paymentID), "--amount", "1.60"], environment: environment) }
        #expect(refund.status == 0, "\(refund.stdout) \(refund.stderr)")
        #expect(refund.stdout.contains("Refunding payment \(paymentID) on link:stripe"))
        #expect(refund.stdout.contains("Payment \(paymentID) is now partiallyRefunded."), "\(refund.stdout)")

        // A card Ada saved at Stripe is kept on file and charged off-session, with no terminal.
        func stripeAPI(_ path: String, _ form: String) async throws -> String {
            let reply = try await http.send(
                HTTPRequest(
                    .post, stripeServer.baseURL + path,
                    headers: [("Authorization", "Bearer sk_test_e2e"), ("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array(form.utf8)))
            return try JSONValue.parse(reply.body)["id"]?.string ?? ""
        }
        func stripeAPIList(_ path: String) async throws -> [JSONValue] {
            let reply = try await http.send(
                HTTPRequest(.get, stripeServer.baseURL + path, headers: [("Authorization", "Bearer sk_test_e2e")], body: []))
            return try JSONValue.parse(reply.body)["data"]?.array ?? []
        }
        let customer = try await stripeAPI("/v1/customers", "name=Ada")
        let method = try await stripeAPI("/v1/payment_methods", "type=card&card[number]=4242424242424242")
        _ = try await stripeAPI("/v1/payment_methods/\(method)/attach", "customer=\(customer)")
        let kept = try await onOwnThread {
            try cli.run(
                ["card", "add-stripe", "--client", Seed.IDs.ada.value, "--customer", customer, "--method", method], environment: environment
            )
        }
        #expect(kept.stdout.contains("Card 1 kept for client \(Seed.IDs.ada.value): VISA •••• 4242"), "\(kept.stdout) \(kept.stderr)")
        let offSession = try await onOwnThread { try cli.run(["charge", "--invoice", "1044", "--card", "1"], environment: environment) }
        #expect(offSession.stdout.contains("tokenSale $89.99 — approved"), "\(offSession.stdout) \(offSession.stderr)")
        #expect(offSession.stdout.contains("Charging on stripe"))

        // A bank account Ada saved at Stripe, accepting debits on Stripe's page (her side, not
        // posplus's), is kept with its mandate and debited: pending until the bank answers.
        let account = try await stripeAPI(
            "/v1/payment_methods",
            "type=us_bank_account&us_bank_account[routing_number]=110000000&us_bank_account[account_number]=000123456789")
        let saved = try await StripeGateway(
            client: StripeClient(
                configuration: StripeConfiguration(baseURL: stripeServer.baseURL, secretKey: Secret("sk_test_e2e")), http: http)
        ).saveMethod(
            customer: customer, paymentMethod: account,
            acceptance: MandateAcceptance(ipAddress: "203.0.113.7", userAgent: "Safari", acceptedAt: Date()), idempotencyKey: "ada-bank")
        let mandate = try #require(saved.mandate)
        let bank = try await onOwnThread {
            try cli.run(
                ["card", "add-stripe", "--client", Seed.IDs.ada.value, "--customer", customer, "--method", account, "--mandate", mandate],
                environment: environment)
        }
        #expect(bank.stdout.contains("Bank account 2 kept for client \(Seed.IDs.ada.value)"), "\(bank.stdout) \(bank.stderr)")
        let debit = try await onOwnThread { try cli.run(["charge", "--invoice", "1043", "--card", "2"], environment: environment) }
        #expect(debit.stdout.contains("achDebit $1,234.56 — pending"), "\(debit.stdout) \(debit.stderr)")
        let removed = try await onOwnThread { try cli.run(["card", "remove", "2"], environment: environment) }
        #expect(removed.status == 0, "\(removed.stdout) \(removed.stderr)")
        #expect(try await stripeAPIList("/v1/payment_methods?customer=\(customer)&type=us_bank_account").isEmpty, "detached at Stripe too")
        #expect(try ledger.verifyAuditChain().isIntact)

        await posplus.stop()
        processing.finish()
        await loop.value
        await stripeServer.stop()
        await jobber.stop()
    }
}

import Bridge
import Foundation
import GRDB
import Gateway
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// `posplus webhooks list` and `retry` as a real process: a stored event that can never be read
/// is listed as failed and stays failed when retried; a paid link's event that an earlier
/// version gave up on is retried, and the payment is recorded once.
@Suite("posplus webhooks: failed events listed and retried", .timeLimit(.minutes(1)))
struct WebhooksCLITests {
    static let secret = "whsec_e2e_webhooks"

    static func checkout(link: String, intent: String, cents: Int) -> String {
        #"{"id":"evt_\#(intent)","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_\#(intent)","#
            + #""object":"checkout.session","payment_link":"\#(link)","payment_intent":"\#(intent)","payment_status":"paid","#
            + #""amount_total":\#(cents),"currency":"usd"}}}"#
    }

    @Test func anUnreadableEventIsListedAsFailedAndAPaidLinkGivenUpOnIsRecordedByRetry() throws {
        let cli = try CLIRunner()
        let environment = ["POSPLUS_LEDGER_PATH": cli.ledgerPath, "POSPLUS_STRIPE_WEBHOOK_SECRET": Self.secret]
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let link = try ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_e2e", url: "https://pay.example/plink_e2e", invoiceID: "i1042",
                invoiceNumber: "1042", amount: Money(minorUnits: 4_600, currency: .usd), reference: try PaymentReference("E2EWEBHOOK000001")
            ),
            actor: "test")
        let inbox = StripeWebhookInbox(
            ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret(Self.secret)), logger: Logger(label: "t"))

        // A body that is not JSON: it can never be read, however often it is tried.
        let broken = try #require(
            try ledger.storeWebhook(
                source: "stripe", dedupeKey: "evt_broken", topic: "checkout.session.completed", accountID: nil, itemID: nil,
                payload: #"{"id":"evt_broken","data":{"object""#))
        // A paid link's event that an earlier posplus marked "failed: …" (its ledger was busy).
        let lost = try #require(
            try ledger.storeWebhook(
                source: "stripe", dedupeKey: "evt_pi_lost", topic: "checkout.session.completed", accountID: nil, itemID: "cs_pi_lost",
                payload: Self.checkout(link: "plink_e2e", intent: "pi_lost", cents: 4_600)))
        try DatabaseQueue(path: cli.ledgerPath).write { db in
            try db.execute(
                sql: "UPDATE webhookEvent SET state = 'failed', lastError = 'failed: database is locked' WHERE id = ?", arguments: [lost.id]
            )
        }
        #expect(try inbox.processPending() == 1)  // the broken one, now failed

        let listed = try cli.run(["webhooks", "list", "--failed"], environment: environment)
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = listed.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 2)
        #expect(rows.contains { $0.hasPrefix("\(broken.id) ") && $0.contains("failed") && $0.contains("invalid JSON") })
        #expect(rows.contains { $0.hasPrefix("\(lost.id) ") && $0.contains("database is locked") })

        let again = try cli.run(["webhooks", "retry", "\(broken.id)", "--operator", "ada"], environment: environment)
        #expect(again.status == 1)
        #expect(again.stdout.contains("failed again"))

        let retried = try cli.run(["webhooks", "retry", "\(lost.id)", "--operator", "ada"], environment: environment)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(retried.stdout.contains("Webhook \(lost.id) processed: link \(link.id) paid"))
        let payment = try #require(try ledger.payment(processorReference: "pi_lost"))
        #expect(payment.state == .approved && payment.capturedMinor == 4_600)
        #expect(try ledger.link(id: link.id)?.state == .paid)

        let twice = try cli.run(["webhooks", "retry", "\(lost.id)"], environment: environment)
        #expect(twice.status != 0 && twice.stderr.contains("processed, not failed"))
        let all = try cli.run(["webhooks", "list"], environment: environment)
        #expect(all.stdout.contains("processed") && all.stdout.contains("failed"))
        let audit = try cli.run(["audit", "verify"], environment: environment)
        #expect(audit.status == 0, "\(audit.stdout)")
        #expect(try ledger.auditEvents().filter { $0.kind == "webhook.retry" }.map(\.actor) == ["ada", "ada"])
    }
}

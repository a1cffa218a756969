import Bridge
import Foundation
import HTTPClient
import Ledger
import PosPlusCore
import Testing

/// A customer who types a card number as their name on Stripe's checkout page: the signed event
/// is stored with that text masked, still processed, and the payment recorded.
@Suite("Stripe webhooks: card-like text never costs a payment", .timeLimit(.minutes(1)))
struct StripeWebhookMaskingTests {
    @Test func aCardLikeNameOnTheCheckoutPageNeitherLosesThePaymentNorReachesTheLedger() async throws {
        let h = try await StripeWebhookInboxTests.Harness.start()
        let (link, stripeLink) = try await h.link(cents: 460)
        let session = try await h.control(
            "/_sim/payment_links/\(stripeLink)/pay", "card=4242424242424242&name=4242+4242+4242+4242&email=ada%40example.com")
        await h.processed(2)  // payment_intent.succeeded, checkout.session.completed
        let intent = try #require(session["payment_intent"]?.string)
        let payment = try #require(try h.ledger.payment(processorReference: intent))
        #expect(payment.state == .approved && payment.capturedMinor == 460)
        #expect(try h.ledger.link(id: link.id)?.state == .paid)
        let stored = try #require(try h.ledger.webhooks().first { $0.topic == "checkout.session.completed" })
        let name = try JSONValue.parse(Array(stored.payload.utf8))["data"]?["object"]?["customer_details"]?["name"]?.string
        #expect(name == "**** **** **** 4242")
        for suffix in ["", "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: h.ledger.path + suffix) else { continue }
            // The card number typed as a name, in any spacing the page allowed. (Not "any digits
            // that pass Luhn": the file's random nonces and hashes sometimes do, by chance.)
            let text = String(decoding: bytes, as: UTF8.self)
            for form in ["4242424242424242", "4242 4242 4242 4242", "4242+4242+4242+4242"] {
                #expect(!text.contains(form), "ledger\(suffix) holds \(form)")
            }
        }
        await h.stop()
    }
}

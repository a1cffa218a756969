import Foundation
import PosPlusCore
import Testing

@testable import Ledger

/// A webhook's body is stored with card-like text masked inside its values, still readable.
@Suite("Webhooks in the ledger: card-like text masked, the JSON kept")
struct WebhookMaskingTests {
    static func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func session(name: String) -> String {
        #"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_1","payment_link":"plink_9","#
            + #""payment_intent":"pi_4242","amount_total":46000,"customer_details":{"name":"\#(name)","email":"ada@example.com"}}}}"#
    }

    @Test func aCardLikeNameIsMaskedAndTheBodyStaysTheSameJSON() throws {
        let body = Self.session(name: "4242 4242 4242 4242")
        let stored = WebhookPayloadScrubber.scrub(body)
        #expect(!CardNumberScreen.containsCardNumber(stored))
        #expect(stored == Self.session(name: "**** **** **** 4242"), "only the digits change, byte for byte elsewhere")
        let object = try #require((try Self.parse(stored)["data"] as? [String: Any])?["object"] as? [String: Any])
        #expect(object["payment_intent"] as? String == "pi_4242")
        #expect((object["amount_total"] as? NSNumber)?.int64Value == 46_000)
    }

    @Test func aBodyWithNothingCardLikeIsStoredExactlyAsReceived() {
        let body = Self.session(name: "Ada Lovelace, order 1042-77, ref 0000000000000000")
        #expect(WebhookPayloadScrubber.scrub(body) == body)
    }

    @Test func escapesCannotHideACardNumber() throws {
        let body = Self.session(name: #"\u0034242424242424242 \"Ada\""#)
        let stored = WebhookPayloadScrubber.scrub(body)
        let name = try #require(
            (((try Self.parse(stored)["data"] as? [String: Any])?["object"] as? [String: Any])?["customer_details"] as? [String: Any])?[
                "name"] as? String)
        #expect(name == #"************4242 "Ada""#)
        #expect(!CardNumberScreen.containsCardNumber(name))
    }

    @Test func aCardLikeBareNumberBecomesAMaskedString() throws {
        let stored = WebhookPayloadScrubber.scrub(#"{"note":4111111111111111,"amount":460}"#)
        #expect(stored == #"{"note":"************1111","amount":460}"#)
    }

    @Test func aBodyThatIsNotJSONIsStillMasked() {
        let stored = WebhookPayloadScrubber.scrub("name=4000 0566 5566 5556&x=1")
        #expect(stored == "name=**** **** **** 5556&x=1")
    }

    @Test func theLedgerFileHoldsNothingCardLikeAfterStoringSuchAnEvent() throws {
        let fixture = try LedgerFixture()
        let stored = try #require(
            try fixture.ledger.storeWebhook(
                source: "stripe", dedupeKey: "evt_1", topic: "checkout.session.completed", accountID: nil, itemID: "cs_1",
                payload: Self.session(name: "4242-4242-4242-4242")))
        let pending = try #require(try fixture.ledger.pendingWebhooks().first { $0.id == stored.id })
        #expect(try Self.parse(pending.payload)["id"] as? String == "evt_1")
        for file in [fixture.path, fixture.path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            // The number stored, in any spacing. (Not "any digits that pass Luhn": the file's
            // random nonces and hashes sometimes do, by chance.)
            let text = String(decoding: bytes, as: UTF8.self)
            for form in ["4242-4242-4242-4242", "4242424242424242", "4242 4242 4242 4242"] {
                #expect(!text.contains(form), "\(file) holds \(form)")
            }
        }
    }
}

import Jobber
import PosPlusCore
import Testing

@Suite("Jobber webhooks: signature first")
struct JobberWebhookTests {
    let verifier = JobberWebhookVerifier(clientSecret: Secret("app-client-secret"))
    let body = Array(
        #"{"data":{"webHookEvent":{"topic":"INVOICE_UPDATE","appId":"app-1","accountId":"QWNjb3VudC8x","itemId":"SW52b2ljZS8xMDQy","occurredAt":"2026-11-22T10:00:00-05:00"}}}"#
            .utf8)

    @Test func aCorrectlySignedEventIsRead() throws {
        let event = try verifier.verify(body: body, signature: verifier.signature(for: body))
        #expect(event.topic == .invoiceUpdate)
        #expect(event.accountID == "QWNjb3VudC8x")
        #expect(event.itemID == "SW52b2ljZS8xMDQy")
        #expect(event.deduplicationKey == "INVOICE_UPDATE|QWNjb3VudC8x|SW52b2ljZS8xMDQy|2026-11-22T10:00:00-05:00")
    }

    @Test func theOldOccuredAtSpellingIsAccepted() throws {
        let old = Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "occurredAt", with: "occuredAt").utf8)
        #expect(try verifier.verify(body: old, signature: verifier.signature(for: old)).occurredAt == "2026-11-22T10:00:00-05:00")
    }

    @Test func forgedTamperedAndUnsignedBodiesAreRejectedWithoutQuotingThem() throws {
        let other = JobberWebhookVerifier(clientSecret: Secret("someone-else"))
        var tampered = body
        tampered[tampered.count - 5] = UInt8(ascii: "9")
        let cases: [(String?, [UInt8])] = [
            (nil, body), ("", body), ("not base64!", body), ("AAAA", body),
            (other.signature(for: body), body), (verifier.signature(for: body), tampered),
        ]
        for (signature, payload) in cases {
            #expect {
                try verifier.verify(body: payload, signature: signature)
            } throws: { error in
                let text = "\(error)"
                return text.hasPrefix("Rejected a Jobber webhook") && !text.contains("QWNjb3VudC8x")
            }
        }
    }

    @Test func aSignedButMalformedBodyIsRejected() {
        for text in ["not json", #"{"data":{}}"#, #"{"data":{"webHookEvent":{"topic":"APP_DISCONNECT"}}}"#] {
            let payload = Array(text.utf8)
            #expect(throws: JobberError.self) { try verifier.verify(body: payload, signature: verifier.signature(for: payload)) }
        }
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("app-client-secret")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("app-client-secret"))
    }
}

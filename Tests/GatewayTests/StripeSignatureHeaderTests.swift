import Foundation
import Gateway
import PosPlusCore
import Testing

/// Hostile `Stripe-Signature` headers, signed with the real secret by Stripe's own Python
/// library: whoever holds the secret (or a bug upstream) must not be able to crash `serve`.
@Suite("Stripe webhook signatures: hostile numbers")
struct StripeSignatureHeaderTests {
    let verifier = StripeWebhookVerifier(endpointSecret: Secret(StripeWebhookTests.secret), now: { StripeWebhookTests.now })

    /// Once an arithmetic overflow in the age check: the process died on a correctly signed header.
    @Test func aCorrectlySignedMostNegativeTimestampIsRefusedNotACrash() async throws {
        let header = try await StripeWebhookTests.pythonHeader(
            secret: StripeWebhookTests.secret, time: Int.min, body: StripeWebhookTests.body)
        #expect(header.hasPrefix("t=-9223372036854775808,v1="))
        #expect(throws: StripeWebhookError.malformedSignature) { try verifier.verify(body: StripeWebhookTests.body, signature: header) }
    }

    @Test func aCorrectlySignedLargestTimestampIsRefused() async throws {
        let header = try await StripeWebhookTests.pythonHeader(
            secret: StripeWebhookTests.secret, time: Int.max, body: StripeWebhookTests.body)
        #expect(throws: StripeWebhookError.malformedSignature) { try verifier.verify(body: StripeWebhookTests.body, signature: header) }
    }

    @Test func aSignatureDatedFarInTheFutureIsRefusedAsStale() async throws {
        let header = try await StripeWebhookTests.pythonHeader(
            secret: StripeWebhookTests.secret, time: 1_795_001_100, body: StripeWebhookTests.body)  // 1,000 s after now
        #expect(throws: StripeWebhookError.stale(age: -1_000)) { try verifier.verify(body: StripeWebhookTests.body, signature: header) }
        #expect("\(StripeWebhookError.stale(age: -1_000))".contains("1000 s in the future"))
    }

    @Test func signedTimestampsWithASignOrOtherTextAreRefused() {
        let mac = String(repeating: "ab", count: 32)
        for t in ["+1795000000", "1795000000.5", "1e9", "", "0x6afd8724", "1795000000 1", "1234567890123"] {
            #expect(throws: StripeWebhookError.malformedSignature) {
                try verifier.verify(body: StripeWebhookTests.body, signature: "t=\(t),v1=\(mac)")
            }
        }
    }

    /// Each v1 costs an HMAC over the whole body: a header with thousands would make one request
    /// cost thousands. A rotation has two.
    @Test func moreV1ValuesThanARotationHasAreRefusedBeforeAnyHMAC() async throws {
        let signed = try await StripeWebhookTests.pythonHeader(
            secret: StripeWebhookTests.secret, time: 1_795_000_000, body: StripeWebhookTests.body)
        let decoy = ",v1=" + String(repeating: "00", count: 32)
        #expect(try verifier.verify(body: StripeWebhookTests.body, signature: signed + String(repeating: decoy, count: 7)).id == "evt_1")
        #expect(throws: StripeWebhookError.malformedSignature) {
            try verifier.verify(body: StripeWebhookTests.body, signature: signed + String(repeating: decoy, count: 8))
        }
    }

    /// The clock and the tolerance are ours, but converting them must not trap either.
    @Test func anyClockOrToleranceConvertsWithoutTrapping() async throws {
        let header = try await StripeWebhookTests.pythonHeader(
            secret: StripeWebhookTests.secret, time: 1_795_000_000, body: StripeWebhookTests.body)
        let secret = Secret(StripeWebhookTests.secret)
        let endless = StripeWebhookVerifier(endpointSecret: secret, tolerance: .infinity, now: { Date(timeIntervalSince1970: 1e300) })
        #expect(try endless.verify(body: StripeWebhookTests.body, signature: header).id == "evt_1")
        let past = StripeWebhookVerifier(endpointSecret: secret, tolerance: .nan, now: { Date(timeIntervalSince1970: -1e300) })
        #expect(throws: StripeWebhookError.stale(age: Int.min)) { try past.verify(body: StripeWebhookTests.body, signature: header) }
        #expect(endless.signatureHeader(for: [], at: Date(timeIntervalSince1970: .infinity)).hasPrefix("t=9223372036854775807,"))
    }
}

import Foundation
import Gateway
import PosPlusCore
import TestSupport
import Testing

/// `Stripe-Signature` checked against headers made by Stripe's own Python library
/// (`stripe.WebhookSignature`), so our verifier is compared with an independent implementation.
@Suite("Stripe webhook signatures")
struct StripeWebhookTests {
    static let secret = "whsec_test_posplus"
    static let body = Array(
        #"{"id":"evt_1","object":"event","type":"payment_intent.succeeded","created":1795000000,"data":{"object":{"id":"pi_1","amount":460}}}"#
            .utf8)
    static let now = Date(timeIntervalSince1970: 1_795_000_100)

    /// `t=…,v1=…` for `body` at `time` with `secret`, computed by stripe-python.
    static func pythonHeader(secret: String, time: Int, body: [UInt8]) async throws -> String {
        try await onOwnThread { try pythonHeaderBlocking(secret: secret, time: time, body: body) }
    }

    private static func pythonHeaderBlocking(secret: String, time: Int, body: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sys, stripe; p = sys.stdin.read(); t = sys.argv[1]; print('t=' + t + ',v1=' + stripe.WebhookSignature._compute_signature(t + '.' + p, sys.argv[2]))",
            String(time), secret,
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(body))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    let verifier = StripeWebhookVerifier(endpointSecret: Secret(secret), now: { now })

    @Test func aHeaderMadeByStripesLibraryVerifies() async throws {
        let header = try await Self.pythonHeader(secret: Self.secret, time: 1_795_000_000, body: Self.body)
        let event = try verifier.verify(body: Self.body, signature: header)
        #expect(event.id == "evt_1" && event.type == "payment_intent.succeeded")
        #expect(verifier.signatureHeader(for: Self.body, at: Date(timeIntervalSince1970: 1_795_000_000)) == header)
    }

    @Test func aRotatedSecondV1IsAccepted() async throws {
        let old = try await Self.pythonHeader(secret: "whsec_old", time: 1_795_000_000, body: Self.body)
        let current = try await Self.pythonHeader(secret: Self.secret, time: 1_795_000_000, body: Self.body)
        let both = old + "," + current.split(separator: ",").last!
        #expect(try verifier.verify(body: Self.body, signature: both).id == "evt_1")
    }

    @Test func aStaleTimestampIsRefused() async throws {
        let header = try await Self.pythonHeader(secret: Self.secret, time: 1_794_999_000, body: Self.body)  // 1,100 s before now
        #expect(throws: StripeWebhookError.stale(age: 1_100)) { try verifier.verify(body: Self.body, signature: header) }
    }

    @Test func aTamperedBodyOrMissingHeaderIsRefused() async throws {
        let header = try await Self.pythonHeader(secret: Self.secret, time: 1_795_000_000, body: Self.body)
        var tampered = Self.body
        tampered[tampered.firstIndex(of: UInt8(ascii: "4"))!] = UInt8(ascii: "9")  // 460 → 960
        #expect(throws: StripeWebhookError.noMatchingSignature) { try verifier.verify(body: tampered, signature: header) }
        #expect(throws: StripeWebhookError.missingSignature) { try verifier.verify(body: Self.body, signature: nil) }
        #expect(throws: StripeWebhookError.malformedSignature) { try verifier.verify(body: Self.body, signature: "v1=zz") }
    }
}

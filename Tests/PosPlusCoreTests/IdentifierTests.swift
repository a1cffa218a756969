import PosPlusCore
import Testing

@Suite("References, keys and masked cards")
struct IdentifierTests {
    @Test func referencesFitPOSLinkAndAreUnique() throws {
        var generator = SystemRandomNumberGenerator()
        let references = (0..<1000).map { _ in PaymentReference.random(using: &generator) }
        #expect(Set(references).count == 1000)
        for reference in references { #expect(reference.rawValue.count == 16 && reference.rawValue.hasPrefix("P")) }
    }

    @Test func referencesAndKeysRefuseBadText() throws {
        #expect(throws: IdentifierError.self) { try PaymentReference("") }
        #expect(throws: IdentifierError.self) { try PaymentReference("lowercase") }
        #expect(throws: IdentifierError.self) { try PaymentReference("A234567890ABCDEFG") }
        #expect(throws: IdentifierError.self) { try IdempotencyKey("has space") }
        #expect(throws: IdentifierError.self) { try IdempotencyKey(String(repeating: "k", count: 256)) }
        #expect(try IdempotencyKey("front-desk:2026-11-22:0001").rawValue == "front-desk:2026-11-22:0001")
    }

    @Test func maskedCardsHoldFourDigitsAtMost() throws {
        #expect(try MaskedCard(brand: "visa", last4: "4242").display == "VISA •••• 4242")
        #expect(throws: IdentifierError.self) { try MaskedCard(brand: "VISA", last4: "4242424242424242") }
        #expect(throws: IdentifierError.self) { try MaskedCard(brand: "VISA", last4: "42a2") }
        #expect(throws: IdentifierError.self) { try MaskedCard(brand: "4242 4242 4242 4242", last4: "4242") }
    }

    @Test(
        "card numbers are recognised wherever they hide",
        arguments: [
            ("4242424242424242", true), ("card 4242 4242 4242 4242 ok", true), ("5555-5555-5555-4444", true),
            ("4242424242424241", false), ("order 123456", false), ("P1234567890ABCDE", false), ("", false),
            ("P0000000000000A1", false), ("T000000000000001", false), ("1795000000000", false), ("378282246310005", true),
            ("3782 822463 10005", true), ("amex 3782-822463-10005.", true),
            // Idempotency keys and ids whose digit groups happen to add up to a Luhn-valid 16.
            ("bench-42424242-4242-4242", false), ("2026-11-22 4242 4242 42424242", false),
        ])
    func cardNumberScreen(text: String, isCard: Bool) throws {
        #expect(CardNumberScreen.containsCardNumber(text) == isCard)
    }
}

@Suite("Retry schedule")
struct RetryScheduleTests {
    /// A generator that always returns the same word, so jitter is known.
    struct FixedGenerator: RandomNumberGenerator {
        var value: UInt64
        mutating func next() -> UInt64 { value }
    }

    @Test func backsOffExponentiallyWithinJitterAndCap() throws {
        let schedule = RetrySchedule(initialDelay: .seconds(5), maximumDelay: .seconds(60), maximumAttempts: 8)
        var generator = SystemRandomNumberGenerator()
        for attempt in 1..<8 {
            let delay = schedule.delay(afterAttempt: attempt, using: &generator)!
            let backoff = min(5 * (1 << (attempt - 1)), 60)
            #expect(delay >= .milliseconds(backoff * 500) && delay <= .seconds(backoff), "attempt \(attempt): \(delay)")
        }
        #expect(schedule.delay(afterAttempt: 8, using: &generator) == nil)
    }

    @Test func sameRandomnessSameDelays() throws {
        let schedule = RetrySchedule()
        var a = FixedGenerator(value: 42)
        var b = FixedGenerator(value: 42)
        #expect(schedule.delay(afterAttempt: 3, using: &a) == schedule.delay(afterAttempt: 3, using: &b))
    }
}

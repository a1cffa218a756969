import Bridge
import Foundation
import Jobber
import Ledger
import Logging
import PAX
import PosPlusCore
import Testing

/// Voids and refunds through the payment path, against the PAX simulator over TCP: the
/// original's state follows, a split refund never gives back more than was captured, and a
/// retried reversal is the same reversal.
@Suite("Payment service: voids and refunds", .timeLimit(.minutes(1)))
struct PaymentReversalTests {
    typealias Harness = PaymentServiceTests.Harness

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    func reverse(_ h: Harness, _ id: Int64, _ reversal: PaymentServiceTests.Service.Reversal, key: String) async throws -> PaymentRecord {
        try await h.service.reverse(paymentID: id, reversal, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey(key))
    }

    @Test func aVoidCancelsTheWholeSale() async throws {
        let h = try await Harness.start()
        let sale = try await h.charge(.init(target: .invoiceNumber("1043")), key: "sale")
        let void = try await reverse(h, sale.id, .void, key: "void")
        #expect(void.operation == .void && void.state == .approved && void.capturedMinor == 123_456)
        #expect(void.originalPaymentID == sale.id)
        #expect(try h.ledger.payment(id: sale.id)?.state == .voided)
        let notes = try h.writeBacks().map { try JobberWriteBackJob.note(fromPayload: $0.payload) }
        #expect(notes.map(\.action) == [.payment, .void], "the office sees the void in Jobber too")
        #expect(notes.last?.message.hasPrefix("Voided $1,234.56 by card at the counter") == true)
        await #expect(throws: LedgerError.self) { try await reverse(h, sale.id, .void, key: "void-again") }
        #expect(h.terminal.terminal.log.count == 2)
        await h.stop()
    }

    @Test func aSplitRefundGivesBackPartsUpToWhatWasCaptured() async throws {
        let h = try await Harness.start()
        let sale = try await h.charge(.init(target: .invoiceNumber("1044")), key: "sale")
        let first = try await reverse(h, sale.id, .refund(usd(5_000)), key: "refund-1")
        #expect(first.state == .approved && first.capturedMinor == 5_000)
        #expect(try h.ledger.payment(id: sale.id)?.state == .partiallyRefunded)

        let retried = try await reverse(h, sale.id, .refund(usd(5_000)), key: "refund-1")
        #expect(retried.id == first.id && h.terminal.terminal.log.count == 2, "a retry is the same refund")

        let rest = try await reverse(h, sale.id, .refund(nil), key: "refund-2")
        #expect(rest.capturedMinor == 3_999)
        let original = try #require(try h.ledger.payment(id: sale.id))
        #expect(original.state == .refunded && original.refundedMinor == 8_999)
        #expect(try await reverse(h, sale.id, .refund(nil), key: "refund-2").id == rest.id, "retrying 'the rest' is not 'nothing left'")

        await #expect(throws: LedgerError.self) { try await reverse(h, sale.id, .refund(usd(1)), key: "refund-3") }
        #expect(h.terminal.terminal.log.count == 3, "a refund above the ceiling never reaches the terminal")
        #expect(try h.writeBacks().map { try JobberWriteBackJob.note(fromPayload: $0.payload).action } == [.payment, .refund, .refund])
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await h.stop()
    }

    @Test func aReversalGoesToTheTerminalThatTookThePayment() async throws {
        let h = try await Harness.start()
        let sale = try await h.charge(.init(target: .invoiceNumber("1044")), key: "sale")
        let elsewhere = TerminalChannel(
            name: "back-office", driver: PAXDriver(connection: .tcp(host: "127.0.0.1", port: 9), logger: Logger(label: "t")))
        await #expect(throws: LedgerError.self) {
            try await h.service.reverse(
                paymentID: sale.id, .void, on: elsewhere, operator: "ada", idempotencyKey: try IdempotencyKey("void"))
        }
        let declined = try await h.charge(
            .init(target: .invoiceNumber("1043"), amount: usd(2_001), intent: .partial), key: "declined")
        await #expect(throws: LedgerError.invalidRequest("Payment 2 was never approved (declined); there is nothing to give back.")) {
            try await reverse(h, declined.id, .refund(nil), key: "refund-declined")
        }
        await h.stop()
    }
}

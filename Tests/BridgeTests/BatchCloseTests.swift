import Bridge
import Foundation
import Ledger
import Logging
import PosPlusCore
import Testing

/// Closing the day's batch on the PAX simulator and in the ledger: the two agree to the cent,
/// the payments settle (a void is then refused; a refund still works), and the next batch
/// starts empty.
@Suite("Payment service: closing the batch", .timeLimit(.minutes(1)))
struct BatchCloseTests {
    typealias Harness = PaymentServiceTests.Harness

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    @Test func theTerminalAndTheLedgerCloseTheSameBatch() async throws {
        let h = try await Harness.start()
        let part = try await h.charge(.init(target: .invoiceNumber("1043"), amount: usd(10_000), intent: .partial), key: "part")
        let whole = try await h.charge(.init(target: .invoiceNumber("1044")), key: "whole")
        _ = try await h.service.reverse(
            paymentID: whole.id, .refund(usd(1_000)), on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("r"))
        let voided = try await h.charge(.init(target: .invoiceNumber("1060")), key: "voided")
        _ = try await h.service.reverse(
            paymentID: voided.id, .void, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("v"))
        _ = try await h.service.saveCard(
            clientID: "Z2lkOi8vSm9iYmVyL0NsaWVudC8x", on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("save"))

        let close = try await BatchClosing(ledger: h.ledger, currency: .usd, logger: Logger(label: "t")).close(
            on: h.channel, operator: "ada")
        #expect(close.terminal.count == 3 && close.terminal.total == usd(17_999))  // 100.00 + 89.99 − 10.00
        #expect(close.ledger.count == 3 && close.ledger.total == usd(17_999))
        #expect(close.matches && close.inDoubt.isEmpty)
        #expect(try h.ledger.payment(id: part.id)?.state == .settled)
        #expect(try h.ledger.payment(id: whole.id)?.state == .settled)
        #expect(try h.ledger.payment(id: voided.id)?.state == .voided)

        await #expect(throws: LedgerError.self) {
            try await h.service.reverse(
                paymentID: part.id, .void, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("late-void"))
        }
        let refund = try await h.service.reverse(
            paymentID: part.id, .refund(usd(500)), on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("late-refund"))
        #expect(refund.state == .approved)

        let next = try await BatchClosing(ledger: h.ledger, currency: .usd, logger: Logger(label: "t")).close(
            on: h.channel, operator: "ada")
        #expect(next.ledger.count == 1 && next.ledger.total == usd(-500) && next.matches)
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await h.stop()
    }
}

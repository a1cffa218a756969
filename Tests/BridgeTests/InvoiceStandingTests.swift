import Bridge
import Foundation
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Testing

/// Jobber's balance does not drop when posplus takes a payment (its API records only a note),
/// so the payment path also asks the ledger: never more than Jobber's balance minus what posplus
/// collected, and nothing while an earlier payment on the invoice is in doubt.
@Suite("Payment service: what posplus already took", .timeLimit(.minutes(1)))
struct InvoiceStandingTests {
    typealias Harness = PaymentServiceTests.Harness

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    @Test func moneyPosplusAlreadyTookIsNotAskedForAgain() async throws {
        let h = try await Harness.start()
        _ = try await h.charge(.init(target: .invoiceNumber("1043"), amount: usd(10_000), intent: .partial), key: "first")
        await #expect(
            throws: LedgerError.invoiceOwedExceeded(invoice: "1043", requested: usd(123_456), collected: usd(10_000), room: usd(113_456))
        ) {
            try await h.charge(.init(target: .invoiceNumber("1043"), splitTender: true), key: "whole-again")
        }
        let rest = try await h.charge(
            .init(target: .invoiceNumber("1043"), amount: usd(113_456), intent: .partial, splitTender: true), key: "rest")
        #expect(rest.state == .approved)
        await #expect(throws: LedgerError.invoiceOwedExceeded(invoice: "1043", requested: usd(1), collected: usd(123_456), room: usd(0))) {
            try await h.charge(.init(target: .invoiceNumber("1043"), amount: usd(1), intent: .partial, splitTender: true), key: "one-cent")
        }
        #expect(h.terminal.terminal.log.count == 2)
        #expect(try h.ledger.payments().count == 2, "a refusal records nothing")
        await h.stop()
    }

    @Test func aPaymentInDoubtBlocksTheInvoiceUntilItIsResolved() async throws {
        let h = try await Harness.start(response: .milliseconds(300))
        h.terminal.inject(.ackThenSilence)
        let lost = try await h.charge(.init(target: .invoiceNumber("1044")), key: "lost")
        #expect(lost.state == .unknown)

        let other = PAXSimulator()
        defer { other.stop() }
        let elsewhere = TerminalChannel(
            name: "back-office",
            driver: PAXDriver(connection: .tcp(host: "127.0.0.1", port: try other.startTCP()), logger: Logger(label: "t")))
        await #expect(throws: LedgerError.invoiceHasPaymentInFlight(invoice: "1044", paymentID: lost.id)) {
            try await h.service.charge(
                .init(target: .invoiceNumber("1044")), on: elsewhere, operator: "ada", idempotencyKey: try IdempotencyKey("elsewhere"))
        }
        #expect(other.terminal.log.isEmpty)

        // On the terminal that took it, the lookup runs first: the money was taken, so no more is.
        await #expect(throws: LedgerError.alreadyPaid(earlier(lost, "invoice #1044", usd(8_999), key: "lost"))) {
            try await h.charge(.init(target: .invoiceNumber("1044")), key: "again")
        }
        #expect(try h.ledger.payment(id: lost.id)?.state == .approved)
        #expect(h.terminal.terminal.log.count == 1)
        await h.stop()
    }

    /// A retried partial charge took the money twice: the lookup found the first one approved
    /// and a second sale went out, because a partial amount still fitted the balance.
    @Test func aRetriedPartialChargeShowsTheMoneyTakenAndChargesNothingMore() async throws {
        let h = try await Harness.start(response: .milliseconds(300))
        h.terminal.inject(.ackThenSilence)
        let part = Harness.Order(target: .invoiceNumber("1043"), amount: usd(444), intent: .partial)
        let lost = try await h.charge(part, key: "first-try")
        #expect(lost.state == .unknown)

        let refusal = await #expect(throws: LedgerError.self) { try await h.charge(part, key: "second-try") }
        #expect(refusal == .alreadyPaid(earlier(lost, "invoice #1043", usd(444), key: "first-try")))
        #expect(refusal?.description.contains("--key first-try") == true, "staff are shown the key that shows the payment")
        #expect(h.terminal.terminal.log.count == 1, "looked up, never charged twice")
        #expect(try h.ledger.payments().count == 1, "the refused charge records nothing")

        // Said on purpose, a further payment on the invoice goes through.
        var split = part
        split.splitTender = true
        #expect(try await h.charge(split, key: "split").state == .approved)
        #expect(h.terminal.terminal.log.count == 2)
        await h.stop()
    }

    /// With split tender declared, a retry under a new key still stopped nothing: the lookup
    /// it ran found the lost payment approved, and a second sale went out unseen.
    @Test func aPaymentThisCallFoundTakenIsShownEvenWithSplitTender() async throws {
        let h = try await Harness.start(response: .milliseconds(300))
        h.terminal.inject(.ackThenSilence)
        var part = Harness.Order(target: .invoiceNumber("1043"), amount: usd(300), intent: .partial)
        part.splitTender = true
        let lost = try await h.charge(part, key: "w1")
        #expect(lost.state == .unknown)
        await #expect(throws: LedgerError.alreadyPaid(earlier(lost, "invoice #1043", usd(300), key: "w1"))) {
            try await h.charge(part, key: "w2")
        }
        #expect(h.terminal.terminal.log.count == 1, "no second sale")
        #expect(try await h.charge(part, key: "w3").state == .approved, "seen now: a further payment goes through")
        await h.stop()
    }

    func earlier(_ payment: PaymentRecord, _ target: String, _ amount: Money, key: String) -> EarlierPayment {
        EarlierPayment(target: target, paymentID: payment.id, state: .approved, amount: amount, idempotencyKey: key)
    }
}

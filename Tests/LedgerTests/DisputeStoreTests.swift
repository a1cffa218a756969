import Foundation
import Ledger
import PosPlusCore
import Testing

/// Card disputes in the ledger: one row per processor dispute, moved on by later events, its
/// follow-up jobs queued once with its first record, every change audited, and the disputed
/// payment never refunded while the bank is taking its money back.
@Suite("Ledger: card disputes")
struct DisputeStoreTests {
    func reported(_ payment: PaymentRecord, status: String, reason: String = "fraudulent") -> ReportedDispute {
        ReportedDispute(
            processor: "stripe", processorDisputeID: "dp_1", paymentID: payment.id, amount: Money(minorUnits: 4_000, currency: .usd),
            reason: reason, status: status)
    }

    func job(_ payment: PaymentRecord) -> [NewOutboxJob] {
        [NewOutboxJob(kind: "disputes.opened", dedupeKey: "disputes.opened.dp_1", payload: #"{"invoice":"inv-1042"}"#)]
    }

    @Test func aDisputeIsRecordedOnceMovesOnAndQueuesItsFollowUpOnlyWhenFirstOpen() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let payment = try fixture.approvedSale(10_000, key: "sale-1")

        let opened = try ledger.recordDispute(reported(payment, status: "needs_response"), actor: "stripe webhook", jobs: job)
        guard case .opened(let record) = opened else { Issue.record("not opened: \(opened)"); return }
        #expect(record.isOpen && record.invoiceID == "inv-1042" && record.clientID == "c1" && record.closedAt == nil)
        #expect(record.summary == "dispute dp_1 of $40.00 (fraudulent; the bank waits for the business's evidence)")
        #expect(try ledger.standing(invoiceID: "inv-1042").disputes.map(\.id) == [record.id])
        #expect(try ledger.openDisputeInvoiceIDs() == ["inv-1042"])

        // A redelivery, then a move to review, then the decision.
        #expect(try ledger.recordDispute(reported(payment, status: "needs_response"), actor: "w", jobs: job) == .unchanged(record))
        guard
            case .updated(let review, let before) = try ledger.recordDispute(
                reported(payment, status: "under_review"), actor: "w", jobs: job)
        else { Issue.record("not updated"); return }
        #expect(before == "needs_response" && review.isOpen)
        guard case .updated(let lost, _) = try ledger.recordDispute(reported(payment, status: "lost"), actor: "w", jobs: job) else {
            Issue.record("not updated")
            return
        }
        #expect(!lost.isOpen && lost.closedAt == fixture.clock.now)
        // An older event arriving late does not reopen a decided dispute.
        #expect(try ledger.recordDispute(reported(payment, status: "needs_response"), actor: "w", jobs: job) == .unchanged(lost))
        #expect(try ledger.standing(invoiceID: "inv-1042").disputes.isEmpty)
        #expect(try ledger.disputes(openOnly: true).isEmpty && ledger.disputes(openOnly: false).count == 1)
        #expect(try ledger.jobs().filter { $0.kind == "disputes.opened" }.count == 1)
        let kinds = try ledger.auditEvents(paymentID: payment.id).map(\.kind)
        #expect(kinds.filter { $0 == "payment.dispute" }.count == 1 && kinds.filter { $0 == "payment.dispute.update" }.count == 2)
        #expect(try ledger.verifyAuditChain().isIntact)
    }

    @Test func anOpenDisputeRefusesARefundOrVoidOfItsPaymentAndAClosedOneDoesNot() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let payment = try fixture.approvedSale(10_000, key: "sale-1")
        let refund = PaymentRequest(
            operation: .refund, amount: fixture.usd(2_500), originalPaymentID: payment.id, channel: "front-desk")
        let void = PaymentRequest(operation: .void, amount: fixture.usd(10_000), originalPaymentID: payment.id, channel: "front-desk")
        try ledger.recordDispute(reported(payment, status: "warning_needs_response"), actor: "w", jobs: job)
        for request in [refund, void] {
            do {
                _ = try ledger.begin(request, idempotencyKey: IdempotencyKey("rev-\(request.operation.rawValue)"), operator: "meg")
                Issue.record("a \(request.operation) of a disputed payment was begun")
            } catch {
                #expect("\(error)".contains("disputed by the cardholder's bank (dispute dp_1"), "\(error)")
            }
        }
        #expect(try ledger.payments(limit: 10).count == 1, "nothing was recorded")
        try ledger.recordDispute(reported(payment, status: "warning_closed"), actor: "w", jobs: job)
        try ledger.checkReversal(refund)
    }

    @Test func aLostDisputesMoneyIsNeverRefundedAgainAndItsPaymentCannotBeVoided() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let payment = try fixture.approvedSale(10_000, key: "sale-1")
        try ledger.recordDispute(reported(payment, status: "needs_response"), actor: "w", jobs: job)
        try ledger.recordDispute(reported(payment, status: "lost"), actor: "w", jobs: job)  // $40.00 went back
        func refund(_ minor: Int64) -> PaymentRequest {
            PaymentRequest(operation: .refund, amount: fixture.usd(minor), originalPaymentID: payment.id, channel: "front-desk")
        }
        do {
            try ledger.checkReversal(refund(6_001))
            Issue.record("a refund of money the cardholder already has back was allowed")
        } catch {
            #expect("\(error)".contains("$40.00 went back to the cardholder when dp_1 was lost, so at most $60.00"), "\(error)")
        }
        try ledger.checkReversal(refund(6_000))
        let void = PaymentRequest(operation: .void, amount: fixture.usd(10_000), originalPaymentID: payment.id, channel: "front-desk")
        #expect(throws: LedgerError.self) { try ledger.checkReversal(void) }
    }

    @Test func aProcessorsWordsAreKeptWithoutAnythingCardShapedAndBounded() throws {
        let fixture = try LedgerFixture()
        let payment = try fixture.approvedSale(10_000, key: "sale-1")
        let odd = reported(payment, status: "needs_response", reason: "card 4242424242424242 " + String(repeating: "x", count: 200))
        let record = try fixture.ledger.recordDispute(odd, actor: "w", jobs: job).record
        #expect(!record.reason.contains("4242424242424242") && record.reason.count <= 64, "\(record.reason)")
    }
}

import Bridge
import Foundation
import Jobber
import JobberTestSupport
import Ledger
import PosPlusCore
import Testing

/// The human in the loop (issue 12, part 4): a refund, void or keyed sale over a threshold is
/// held with nothing sent; a manager who did not ask approves it and it runs through the one
/// payment path as asked — against the PAX simulator over TCP and a real ledger file.
@Suite("Approvals: held, decided, then run as asked", .timeLimit(.minutes(1)))
struct ApprovalTests {
    typealias Harness = PaymentServiceTests.Harness

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    /// The harness's service with `thresholds`, and a desk that runs on the harness's terminal.
    /// Staff rows are added with a well-formed stand-in hash: nobody logs in here.
    struct Desk {
        let h: Harness
        let service: PaymentServiceTests.Service
        let desk: ApprovalDesk<RecordingClock>

        init(_ h: Harness, _ thresholds: ApprovalThresholds) throws {
            self.h = h
            var service = h.service
            service.approvalThresholds = thresholds
            self.service = service
            let channel = h.channel
            desk = ApprovalDesk(ledger: h.ledger, service: service) { _ in channel }
            let hash = "$2b$04$" + String(repeating: "a", count: 53)
            for (name, role) in [("max", StaffRole.manager), ("ada", .frontDesk), ("oona", .owner)] {
                try h.ledger.addStaff(NewStaff(name: try StaffName(name), role: role, passwordHash: hash), actor: "test")
            }
        }

        func refund(_ id: Int64, _ amount: Money?, key: String, by actor: String = "ada") async throws -> PaymentRecord {
            try await service.reverse(
                paymentID: id, .refund(amount), on: h.channel, operator: actor, idempotencyKey: try IdempotencyKey(key))
        }
    }

    func held(_ body: () async throws -> PaymentRecord) async -> ApprovalRecord? {
        do {
            _ = try await body()
            return nil
        } catch let hold as ApprovalHold {
            guard case .waiting(let record) = hold else { return nil }
            return record
        } catch {
            Issue.record("expected a hold, got \(error)")
            return nil
        }
    }

    @Test func aRefundOverTheThresholdWaitsThenRunsOnceApproved() async throws {
        let h = try await Harness.start()
        let d = try Desk(h, ApprovalThresholds(refundOver: usd(5_000)))
        let sale = try await h.charge(.init(target: .invoiceNumber("1044")), key: "sale")
        let sent = h.terminal.terminal.log.count

        let small = try await d.refund(sale.id, usd(1_000), key: "small")
        #expect(small.state == .approved, "under the threshold it runs at once")

        let hold = try #require(await held { try await d.refund(sale.id, usd(6_000), key: "big") })
        #expect(hold.state == .waiting && hold.kind == .refund && hold.amount == usd(6_000) && hold.requestedBy == "ada")
        #expect(hold.reason == "a refund of $60.00 is over the $50.00 that needs a manager")
        #expect(h.terminal.terminal.log.count == sent + 1, "nothing but the small refund reached the terminal")
        #expect(try h.ledger.payment(idempotencyKey: try IdempotencyKey("big")) == nil, "no payment is begun while it waits")

        // Asked again (a double click, a retry) it is the same request, still waiting.
        #expect(await held { try await d.refund(sale.id, usd(6_000), key: "big") }?.id == hold.id)
        #expect(try h.ledger.approvals(state: .waiting).map(\.id) == [hold.id])

        // Whoever asked cannot approve; nor can the front desk.
        await #expect(throws: LedgerError.self) { try await d.desk.approve(hold.id, by: "ada") }
        await #expect(throws: LedgerError.self) { try await d.desk.approve(hold.id, by: "nobody") }

        let (approved, refund) = try await d.desk.approve(hold.id, by: "max", note: "customer called")
        #expect(approved.state == ApprovalRecord.State.approved && approved.decidedBy == "max" && approved.resultPaymentID == refund.id)
        #expect(refund.state == PaymentState.approved && refund.capturedMinor == 6_000 && refund.operator == "ada")
        #expect(try h.ledger.payment(id: sale.id)?.refundedMinor == 7_000)

        // Approving again (say after a crash) carries on the same refund; the requester's own
        // retry now returns it too. The terminal saw one refund.
        #expect(try await d.desk.approve(hold.id, by: "oona").1.id == refund.id)
        #expect(try await d.refund(sale.id, usd(6_000), key: "big").id == refund.id)
        #expect(h.terminal.terminal.log.count == sent + 2)

        let kinds = try h.ledger.auditEvents().map(\.kind)
        #expect(kinds.contains("approval.request") && kinds.contains("approval.approve") && kinds.contains("approval.run"))
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await h.stop()
    }

    @Test func aDeniedRequestNeverRuns() async throws {
        let h = try await Harness.start()
        let d = try Desk(h, ApprovalThresholds(refundOver: usd(5_000)))
        let sale = try await h.charge(.init(target: .invoiceNumber("1044")), key: "sale")
        let hold = try #require(await held { try await d.refund(sale.id, nil, key: "all") })
        let denied = try d.desk.deny(hold.id, by: "max", note: "already credited")
        #expect(denied.state == ApprovalRecord.State.denied && denied.note == "already credited")
        await #expect(throws: ApprovalHold.self) { try await d.refund(sale.id, nil, key: "all") }
        await #expect(throws: LedgerError.self) { try await d.desk.approve(hold.id, by: "oona") }
        #expect(throws: LedgerError.self) { try d.desk.deny(hold.id, by: "oona", note: nil) }
        #expect(try h.ledger.payment(id: sale.id)?.state == .approved)
        #expect(h.terminal.terminal.log.count == 1)
        await h.stop()
    }

    @Test func aKeyedSaleOverTheThresholdWaitsAndAnOldVoidToo() async throws {
        let h = try await Harness.start()
        let d = try Desk(h, ApprovalThresholds(voidOlderThan: .zero, keyedOver: usd(100_000)))
        let keyed = try #require(
            await held {
                try await d.service.charge(
                    .init(target: .invoiceNumber("1043"), operation: .keyedSale), on: h.channel, operator: "ada",
                    idempotencyKey: try IdempotencyKey("keyed"))
            })
        #expect(keyed.kind == .keyedSale && keyed.amount == usd(123_456) && keyed.invoiceNumber == "1043")
        #expect(h.terminal.terminal.log.isEmpty)
        let (_, sale) = try await d.desk.approve(keyed.id, by: "max")
        #expect(sale.state == .approved && sale.operation == .keyedSale && sale.capturedMinor == 123_456)

        // Any void is "older" than zero: it waits too.
        let void = try #require(
            await held {
                try await d.service.reverse(
                    paymentID: sale.id, .void, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("void"))
            })
        #expect(void.kind == .void && void.paymentID == sale.id && void.reason.hasPrefix("a void of a payment taken"))
        let (_, voided) = try await d.desk.approve(void.id, by: "oona")
        #expect(voided.state == .approved)
        #expect(try h.ledger.payment(id: sale.id)?.state == .voided)
        await h.stop()
    }

    @Test func thresholdsHoldOnlyWhatIsOverThem() {
        let limits = ApprovalThresholds(refundOver: usd(20_000), voidOlderThan: .seconds(4 * 3_600), keyedOver: usd(50_000))
        #expect(limits.reason(for: .refund(usd(20_000))) == nil, "at the limit is not over it")
        #expect(limits.reason(for: .refund(usd(20_001))) != nil)
        #expect(limits.reason(for: .void(paymentAge: .seconds(3_600))) == nil)
        #expect(
            limits.reason(for: .void(paymentAge: .seconds(5 * 3_600)))
                == "a void of a payment taken 5h ago is past the 4h after which a manager approves")
        #expect(limits.reason(for: .keyedSale(Money(minorUnits: 1, currency: .cad))) != nil, "another currency cannot be compared: held")
        #expect(ApprovalThresholds().reason(for: .refund(usd(Int64.max))) == nil)
    }
}

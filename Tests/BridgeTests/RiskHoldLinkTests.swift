import Bridge
import Foundation
import JobberTestSupport
import Ledger
import Messaging
import PosPlusCore
import Testing

/// A payment link the risk signals flag waits for a manager like any held link (issue 13,
/// part 4): nothing at the processor, no message, until approved; then sent once under its key.
/// On the Jobber and Stripe simulators, with a real ledger file.
@Suite("Risk holds on payment links", .timeLimit(.minutes(1)))
struct RiskHoldLinkTests {
    typealias Harness = LinkApprovalTests.Harness
    typealias Service = LinkApprovalTests.Service

    /// The harness's link service without its `link_over` threshold, in risk `mode`, and a desk
    /// that sends approved links through it.
    func world(_ h: Harness, mode: AutomationMode, linkOver: Money? = nil) -> (Service, ApprovalDesk<RecordingClock>) {
        var links = h.links
        links.approvalThresholds = ApprovalThresholds(linkOver: linkOver)
        links.risk.mode = mode
        let payments = PaymentService<RecordingClock>(ledger: h.ledger, currency: .usd, logger: .init(label: "t")) {
            () throws(ChargeCheckError) in throw ChargeCheckError.unavailable("no Jobber check in these tests")
        }
        let sender = links
        let desk = ApprovalDesk(ledger: h.ledger, service: payments, links: { sender }) { name in
            throw PosPlusAppError.noChannel("no channel \(name) in these tests")
        }
        return (links, desk)
    }

    func ask(_ links: Service, _ number: String, key: String) async throws -> ApprovalHold? {
        do {
            _ = try await links.send(
                invoiceNumber: number, amount: nil, to: .sms(try PhoneNumber("+15555550101")), operator: "tess",
                idempotencyKey: try IdempotencyKey(key))
            return nil
        } catch let hold as ApprovalHold { return hold }
    }

    @Test func suggestHoldsAFlaggedLinkWithNothingSentThenSendsItOnceApproved() async throws {
        let h = try await Harness.start()
        let (links, desk) = world(h, mode: .suggest)
        guard case .waiting(let held)? = try await ask(links, "1043", key: "big") else { throw LedgerError.approvalNotFound(0) }
        #expect(held.kind == .link && held.requestedBy == "tess")
        #expect(
            held.reason == "risk score 40: new client: no earlier payment on record, and $1,234.56 is over the $500.00 new-client limit")
        #expect(try h.ledger.links().isEmpty && h.ledger.jobs().isEmpty && h.stripe.paymentLinkCount == 0, "nothing was sent")

        // Bletchley Bakery's #1060 ($310.00) flags nothing: it goes at once.
        #expect(try await ask(links, "1060", key: "small") == nil)
        #expect(try h.ledger.links().count == 1)

        let (_, result) = try await desk.approveAndRun(held.id, by: "max")
        guard case .link(let link) = result else { throw LedgerError.approvalNotFound(0) }
        #expect(link.invoiceNumber == "1043" && link.amountMinor == 123_456)
        guard case .link(let twice) = try await desk.approveAndRun(held.id, by: "max").1 else { throw LedgerError.approvalNotFound(0) }
        #expect(try twice.id == link.id && h.stripe.paymentLinkCount == 2 && h.ledger.jobs().count == 2)
        let outcomes = try h.ledger.auditEvents().filter { $0.kind == "risk.score" }.map(\.detail)
        #expect(outcomes.count == 3 && outcomes[0].contains("\"outcome\":\"held\"") && outcomes[2].contains("approved earlier"))
        await h.stop()
    }

    @Test func autoSendsBelowTheLevelAndAThresholdAndSignalsShareOneApproval() async throws {
        let h = try await Harness.start()
        let (auto, _) = world(h, mode: .auto)
        #expect(try await ask(auto, "1043", key: "under") == nil, "40 points is under 50: sent")
        let scored = try #require(try h.ledger.auditEvents().last { $0.kind == "risk.score" })
        #expect(scored.detail.contains("\"outcome\":\"passed\"") && scored.detail.contains("\"signals\":\"new_client\""))

        let (both, _) = world(h, mode: .suggest, linkOver: LinkApprovalTests.usd(100_000))
        guard case .waiting(let held)? = try await ask(both, "1050", key: "both") else { throw LedgerError.approvalNotFound(0) }
        #expect(
            held.reason.hasPrefix("a payment link of $999,999.99 is over the $1,000.00 that needs a manager; and risk score 40: new client")
        )
        await h.stop()
    }
}

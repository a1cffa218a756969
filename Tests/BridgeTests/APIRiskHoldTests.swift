import Bridge
import Foundation
import JobberSimulator
import Ledger
import PosPlusCore
import Server
import TestSupport
import Testing

/// A charge the risk signals flag answers the API as any held request does (issue 13, part 4):
/// 202 `approval_required` with the signals' sentences as the reason, nothing sent; a manager's
/// approval over HTTP runs it once. On the real server with the PAX simulator.
///
/// Bletchley Bakery has no payment in posplus's ledger and none of its invoices in the Jobber
/// simulator is paid: new, so its #1060 is over a $100.00 new-client limit. Ada has paid #1045
/// in Jobber: not new, though posplus has never taken a payment from her.
@Suite("Staff API: risk holds", .timeLimit(.minutes(2)))
struct APIRiskHoldTests {
    @Test func aFlaggedChargeAnswers202WithTheSignalsAndRunsOnceApproved() async throws {
        let world = try await APIWorld.start(extra: "[risk]\nmode = \"suggest\"\nnew_client_over = \"100.00\"")
        let asked = try await world.send(
            as: "fred", .post, "/api/charges", key: "big-1060", json: #"{"invoice":"1060","terminal":"front-desk"}"#)
        #expect(asked.status == 202, "\(asked.text)")
        #expect(APIWorld.error(asked)?.code == "approval_required")
        let approval = try #require(try APIWorld.object(asked)["approval"] as? [String: Any])
        let approvalID = try #require((approval["id"] as? NSNumber)?.int64Value)
        #expect(approval["kind"] as? String == "charge")
        #expect(
            approval["reason"] as? String
                == "risk score 40: new client: no earlier payment on record, nor a paid invoice in Jobber (1 invoice there, none paid), "
                + "and $310.00 is over the $100.00 new-client limit")
        #expect(try world.terminal.terminal.log.isEmpty && world.ledger.payments().isEmpty, "nothing begun, nothing sent")

        let approved = try await world.send(as: "meg", .post, "/api/approvals/\(approvalID)/approve")
        #expect(approved.status == 200, "\(approved.text)")
        #expect(APIWorld.minor(try APIWorld.payment(approved)["captured"]) == 31_000)
        let again = try await world.send(
            as: "fred", .post, "/api/charges", key: "big-1060", json: #"{"invoice":"1060","terminal":"front-desk"}"#)
        #expect(again.status == 200, "the requester's retry finds the payment: \(again.text)")
        #expect(world.terminal.terminal.log.count == 1, "charged once")
        await world.stop()
    }

    @Test func aClientWhoPaidInvoicesInJobberIsNotNewThoughPosplusNeverTookTheirMoney() async throws {
        let world = try await APIWorld.start(extra: "[risk]\nmode = \"suggest\"")
        let check = try await world.app.riskCheck(invoiceNumber: "1043", amount: nil, keyed: false, savedCardID: nil)
        #expect(check.assessment.signals.isEmpty, "\(check.assessment.signals)")
        let charged = try await world.send(
            as: "fred", .post, "/api/charges", key: "ada-1043", json: #"{"invoice":"1043","terminal":"front-desk"}"#)
        #expect(charged.status == 200, "not held: \(charged.text)")
        #expect(try world.ledger.approvals().isEmpty)
        await world.stop()
    }

    /// Katherine (four invoices paid on time in Jobber, none through posplus) is offered a plan
    /// on #1070; risk agrees she is not new, so her $1,800.00 is not flagged.
    @Test func riskAndPlansAgreeAboutAClientWithJobberHistory() async throws {
        var options = JobberSimulator.Options()
        options.seed = .withPaymentHistory()
        let world = try await APIWorld.start(extra: "[risk]\nmode = \"suggest\"\n\n[plans]\nmode = \"suggest\"", jobberOptions: options)
        let offered = try await world.app.planService().propose(invoiceNumber: "1070")
        #expect(offered.proposal.qualifies, "\(offered.proposal.reason)")
        let check = try await world.app.riskCheck(invoiceNumber: "1070", amount: nil, keyed: false, savedCardID: nil)
        #expect(!check.assessment.signals.contains { $0.kind == .newClient }, "\(check.assessment.signals)")
        await world.stop()
    }
}

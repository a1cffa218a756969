import Bridge
import Foundation
import Ledger
import PosPlusCore
import Server
import TestSupport
import Testing

/// A charge the risk signals flag answers the API as any held request does (issue 13, part 4):
/// 202 `approval_required` with the signals' sentences as the reason, nothing sent; a manager's
/// approval over HTTP runs it once. On the real server with the PAX simulator.
@Suite("Staff API: risk holds", .timeLimit(.minutes(2)))
struct APIRiskHoldTests {
    @Test func aFlaggedChargeAnswers202WithTheSignalsAndRunsOnceApproved() async throws {
        let world = try await APIWorld.start(extra: "[risk]\nmode = \"suggest\"")
        let asked = try await world.send(
            as: "fred", .post, "/api/charges", key: "big-1043", json: #"{"invoice":"1043","terminal":"front-desk"}"#)
        #expect(asked.status == 202, "\(asked.text)")
        #expect(APIWorld.error(asked)?.code == "approval_required")
        let approval = try #require(try APIWorld.object(asked)["approval"] as? [String: Any])
        let approvalID = try #require((approval["id"] as? NSNumber)?.int64Value)
        #expect(approval["kind"] as? String == "charge")
        #expect(
            approval["reason"] as? String
                == "risk score 40: new client: no earlier payment on record, and $1,234.56 is over the $500.00 new-client limit")
        #expect(try world.terminal.terminal.log.isEmpty && world.ledger.payments().isEmpty, "nothing begun, nothing sent")

        let approved = try await world.send(as: "meg", .post, "/api/approvals/\(approvalID)/approve")
        #expect(approved.status == 200, "\(approved.text)")
        #expect(APIWorld.minor(try APIWorld.payment(approved)["captured"]) == 123_456)
        let again = try await world.send(
            as: "fred", .post, "/api/charges", key: "big-1043", json: #"{"invoice":"1043","terminal":"front-desk"}"#)
        #expect(again.status == 200, "the requester's retry finds the payment: \(again.text)")
        #expect(world.terminal.terminal.log.count == 1, "charged once")
        await world.stop()
    }
}

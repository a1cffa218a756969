import Bridge
import Foundation
import HTTPClient
import Ledger
import PosPlusCore
import Testing

/// Payment plans through the staff API on the real server, with the client's standing read
/// from the Jobber simulator's invoices: the reason is shown for every proposal, and a client
/// who does not qualify cannot be put on a plan.
@Suite("Staff API: payment plans", .timeLimit(.minutes(1)))
struct APIPlanTests {
    @Test func aClientWithAnOpenDisputeIsOfferedNoPlanAndTheAnswerSaysWhy() async throws {
        let world = try await APIWorld.start(extra: "[plans]\nmode = \"suggest\"")
        let asked = try await world.send(as: "fred", .get, "/api/invoices/1043/plans")
        #expect(asked.status == 200, "\(asked.text)")
        let proposal = try APIWorld.object(asked)
        #expect(proposal["qualifies"] as? Bool == false && (proposal["options"] as? [Any])?.isEmpty == true)
        let reason = try #require(proposal["reason"] as? String)
        #expect(
            reason.hasPrefix("Client has paid ") && reason.hasSuffix("1 open dispute. A client with an open dispute is not offered a plan.")
        )

        let accepted = try await world.send(as: "fred", .post, "/api/plans", json: #"{"invoiceNumber":"1043","option":1}"#)
        #expect(accepted.status == 422, "\(accepted.text)")
        #expect(APIWorld.error(accepted)?.message.contains("1 open dispute") == true)
        #expect(try world.ledger.plans(invoiceNumber: "1043").isEmpty)

        let unknownField = try await world.send(as: "fred", .post, "/api/plans", json: #"{"invoiceNumber":"1043","option":1,"amount":5}"#)
        #expect(unknownField.status == 400, "\(unknownField.text)")
        #expect(try await world.send(as: "fred", .get, "/api/plans/99").status == 404)
        await world.stop()
    }

    @Test func withPlansOffNothingIsProposed() async throws {
        let world = try await APIWorld.start()
        let proposal = try APIWorld.object(try await world.send(as: "fred", .get, "/api/invoices/1043/plans"))
        #expect(proposal["reason"] as? String == "Payment plans are off (`plans.mode = off`); nothing is proposed.")
        let accepted = try await world.send(as: "fred", .post, "/api/plans", json: #"{"invoiceNumber":"1043","option":1}"#)
        #expect(accepted.status == 422, "\(accepted.text)")
        await world.stop()
    }
}

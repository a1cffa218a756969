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

    /// A plan held for a manager (recorded as `plan accept` leaves it) is approved over HTTP like
    /// any request in the queue, and the app's desk schedules it: the instalments' jobs and the
    /// Jobber note are queued, under the manager's name.
    @Test func aManagerApprovesAHeldPlanOverHTTPAndItIsScheduled() async throws {
        let world = try await APIWorld.start(extra: "[plans]\nmode = \"suggest\"")
        let ledger = try world.ledger
        let now = ledger.now()
        let new = NewPaymentPlan(
            invoiceID: "Z2lkOi8vSm9iYmVyL0ludm9pY2UvMTA0Mw==", invoiceNumber: "1043", clientID: "c1", clientName: "Ada Lovelace",
            optionNumber: 1, optionSummary: "2 instalments", reason: "Client has paid 9 of 10 invoices on time.",
            method: .link("sms:+15555550101"),
            instalments: [
                .init(amount: Money(minorUnits: 61_728, currency: .usd), dueAt: now),
                .init(amount: Money(minorUnits: 61_728, currency: .usd), dueAt: now.addingTimeInterval(14 * 86_400)),
            ])
        let plan = try ledger.recordPlan(new, state: .waitingApproval, actor: "fred") { _, _ in [] }
        let held = try ledger.holdForApproval(
            NewApproval(
                idempotencyKey: try IdempotencyKey("plan-\(plan.id)"), kind: .plan, summary: "payment plan \(plan.id)",
                reason: "suggest mode", amount: plan.total, channel: "plan", orderJSON: "{\"plan\":\(plan.id)}", invoiceNumber: "1043"),
            actor: "fred")
        try ledger.holdPlan(id: plan.id, approvalID: held.id, actor: "fred")

        let listed = try APIWorld.object(try await world.send(as: "meg", .get, "/api/approvals"))
        #expect((listed["approvals"] as? [[String: Any]])?.first?["kind"] as? String == "plan")
        let approved = try await world.send(as: "meg", .post, "/api/approvals/\(held.id)/approve", json: "{}")
        #expect(approved.status == 200, "\(approved.text)")
        #expect((try APIWorld.object(approved)["planID"] as? NSNumber)?.int64Value == plan.id)
        #expect(try ledger.plan(id: plan.id)?.state == .accepted && ledger.plan(id: plan.id)?.decidedBy == "meg")
        #expect(try ledger.jobs().filter { $0.kind == PlanInstalmentJob.kind }.count == 2)

        let shown = try APIWorld.object(try await world.send(as: "fred", .get, "/api/plans/\(plan.id)"))
        #expect(shown["state"] as? String == "accepted" && (shown["instalments"] as? [Any])?.count == 2)
        await world.stop()
    }
}

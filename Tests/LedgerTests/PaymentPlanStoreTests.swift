import Foundation
import Ledger
import PosPlusCore
import Testing

/// Plans as the ledger keeps them: one live plan per invoice, jobs queued only with an accepted
/// plan, an instalment's link paid marks it paid and completes the plan, and every change is audited.
@Suite struct PaymentPlanStoreTests {
    func plan(_ fixture: LedgerFixture, method: NewPaymentPlan.Method = .link("sms:+15555550101")) -> NewPaymentPlan {
        NewPaymentPlan(
            invoiceID: "inv-1042", invoiceNumber: "1042", clientID: "c1", clientName: "Ada Lovelace", optionNumber: 1,
            optionSummary: "2 instalments", reason: "Client has paid 9 of 10 invoices on time, median 6 days; no open disputes.",
            method: method,
            instalments: [
                .init(amount: fixture.usd(30_000), dueAt: fixture.clock.now),
                .init(amount: fixture.usd(15_000), dueAt: fixture.clock.now.addingTimeInterval(14 * 86_400)),
            ])
    }

    func job(_ plan: PaymentPlanRecord, _ instalment: PlanInstalmentRecord) -> NewOutboxJob {
        NewOutboxJob(kind: "plan.instalment", dedupeKey: "p-\(plan.id)-\(instalment.number)", payload: "{}", runAt: instalment.dueAt)
    }

    @Test func oneLivePlanPerInvoiceAndJobsOnlyWithAnAcceptedPlan() throws {
        let fixture = try LedgerFixture()
        let waiting = try fixture.ledger.recordPlan(plan(fixture), state: .waitingApproval, actor: "ada") { p, all in all.map { job(p, $0) }
        }
        #expect(waiting.total == fixture.usd(45_000) && waiting.decidedBy == nil)
        #expect(try fixture.ledger.jobs().isEmpty, "nothing is queued while a manager has not approved")
        #expect(throws: LedgerError.self) {
            _ = try fixture.ledger.recordPlan(plan(fixture), state: .accepted, actor: "ada") { _, _ in [] }
        }
        let accepted = try fixture.ledger.acceptPlan(id: waiting.id, by: "max") { p, all in all.map { job(p, $0) } }
        #expect(accepted.state == .accepted && accepted.decidedBy == "max")
        #expect(try fixture.ledger.jobs().map(\.nextRunAt) == [fixture.clock.now, fixture.clock.now.addingTimeInterval(14 * 86_400)])
        _ = try fixture.ledger.acceptPlan(id: waiting.id, by: "max") { p, all in all.map { job(p, $0) } }
        #expect(try fixture.ledger.jobs().count == 2, "accepting again queues nothing more")

        try fixture.ledger.endPlan(id: waiting.id, as: .cancelled, reason: "client changed their mind", actor: "ada")
        #expect(try fixture.ledger.instalments(planID: waiting.id).allSatisfy { $0.state == .cancelled })
        let second = try fixture.ledger.recordPlan(plan(fixture), state: .accepted, actor: "ada") { _, _ in [] }
        #expect(second.id != waiting.id, "a cancelled plan no longer holds the invoice")
        let kinds = try fixture.ledger.auditEvents().map(\.kind).filter { $0.hasPrefix("plan.") }
        #expect(kinds == ["plan.create", "plan.accept", "plan.cancel", "plan.create"])
        #expect(try fixture.ledger.verifyAuditChain().isIntact)
    }

    @Test func aPaidInstalmentLinkMarksItPaidAndTheLastCompletesThePlan() throws {
        let fixture = try LedgerFixture()
        let plan = try fixture.ledger.recordPlan(plan(fixture), state: .accepted, actor: "ada") { _, _ in [] }
        var links: [PaymentLinkRecord] = []
        for (index, cents) in [Int64(30_000), 15_000].enumerated() {
            let link = try fixture.ledger.recordLink(
                NewPaymentLink(
                    processor: "stripe", processorLinkID: "plink_\(index)", url: "https://pay.example/\(index)", invoiceID: "inv-1042",
                    invoiceNumber: "1042", amount: fixture.usd(cents), reference: PaymentReference("PLANLINK\(index)")),
                actor: "ada")
            try fixture.ledger.recordInstalment(planID: plan.id, number: index + 1, state: .linkSent, linkID: link.id, actor: "ada")
            links.append(link)
        }
        #expect(try fixture.ledger.plan(id: plan.id)?.state == .accepted, "a link sent is not money in")
        let first = try fixture.approvedSale(30_000, key: "link-1")
        try fixture.ledger.closeLink(id: links[0].id, as: .paid, paymentID: first.id, actor: "stripe")
        #expect(try fixture.ledger.instalments(planID: plan.id).map(\.state) == [.paid, .linkSent])
        let second = try fixture.approvedSale(15_000, key: "link-2")
        try fixture.ledger.closeLink(id: links[1].id, as: .paid, paymentID: second.id, actor: "stripe")
        #expect(try fixture.ledger.instalments(planID: plan.id).map(\.paymentID) == [first.id, second.id])
        let done = try #require(try fixture.ledger.plan(id: plan.id))
        #expect(done.state == .completed && done.endedReason == "Every instalment is paid.")
    }

    @Test func anInstalmentPaysOneWayOnly() throws {
        let fixture = try LedgerFixture()
        #expect(throws: LedgerError.self) {
            // No card 99 on file: the foreign key refuses the instalments, and the plan with them.
            _ = try fixture.ledger.recordPlan(plan(fixture, method: .savedCard(99)), state: .accepted, actor: "ada") { _, _ in [] }
        }
        #expect(try fixture.ledger.plans(invoiceNumber: "1042").isEmpty, "nothing of a refused plan is kept")
    }
}

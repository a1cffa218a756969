import Foundation
import GRDB
import PosPlusCore

/// Payment plans and their instalments. Each change is one transaction with its audit event,
/// and the outbox jobs that carry a plan out are queued in the same transaction that accepts
/// it: a crash can neither accept a plan without scheduling it nor schedule one twice.
extension Ledger {
    /// Records a plan agreed with the client, `accepted` (its jobs queued now, `actor` its
    /// decider) or `waitingApproval` (nothing queued until a manager approves). Refused while
    /// the invoice has another live plan.
    /// - Parameter jobs: the outbox jobs of an accepted plan, built from the rows as stored.
    public func recordPlan(
        _ new: NewPaymentPlan, state: PaymentPlanRecord.State, actor: String,
        jobs: (PaymentPlanRecord, [PlanInstalmentRecord]) throws -> [NewOutboxJob]
    ) throws -> PaymentPlanRecord {
        guard state == .accepted || state == .waitingApproval else {
            throw LedgerError.invalidRequest("A new plan is accepted or waits for approval, not \(state.rawValue).")
        }
        guard let currency = new.instalments.first?.amount.currency, new.instalments.allSatisfy({ $0.amount.isPositive }) else {
            throw LedgerError.invalidRequest("A plan needs instalments of more than zero.")
        }
        let total = try Money.sum(new.instalments.map(\.amount), in: currency)
        return try write { db in
            if let live = try livePlan(invoiceID: new.invoiceID, in: db) {
                throw LedgerError.invalidRequest(
                    "Invoice #\(new.invoiceNumber) already has plan \(live.id) (\(live.state.rawValue)); cancel it first "
                        + "(`posplus plan cancel \(live.id)`).")
            }
            let time = now()
            let accepted = state == .accepted
            let plan = try PaymentPlanRecord.Draft(
                invoiceID: new.invoiceID, invoiceNumber: new.invoiceNumber, clientID: new.clientID, clientName: new.clientName,
                currency: currency, totalMinor: total.minorUnits, state: state, optionNumber: new.optionNumber,
                optionSummary: new.optionSummary, reason: new.reason, createdBy: actor, createdAt: time,
                decidedBy: accepted ? actor : nil, decidedAt: accepted ? time : nil, updatedAt: time
            ).insertAndFetch(db, as: PaymentPlanRecord.self)
            var instalments: [PlanInstalmentRecord] = []
            for (index, part) in new.instalments.enumerated() {
                let (card, link): (Int64?, String?) =
                    switch new.method {
                    case .savedCard(let id): (id, nil)
                    case .link(let recipient): (nil, CardDataScrubber.scrub(recipient))
                    }
                instalments.append(
                    try PlanInstalmentRecord.Draft(
                        planID: plan.id, number: index + 1, currency: currency, amountMinor: part.amount.minorUnits, dueAt: part.dueAt,
                        savedCardID: card, linkRecipient: link, state: .scheduled, updatedAt: time
                    ).insertAndFetch(db, as: PlanInstalmentRecord.self))
            }
            try AuditChain.append(
                db, kind: "plan.create", paymentID: nil, actor: actor,
                detail: [
                    "plan": .integer(plan.id), "invoice": .text(plan.invoiceNumber), "state": .text(state.rawValue),
                    "total": .integer(plan.totalMinor), "instalments": .integer(Int64(instalments.count)), "reason": .text(plan.reason),
                ], at: time)
            if accepted {
                for job in try jobs(plan, instalments) { _ = try Ledger.enqueue(job, paymentID: nil, in: db, at: time, actor: actor) }
            }
            return plan
        }
    }

    /// Names the approval a waiting plan is held under; audited.
    @discardableResult
    public func holdPlan(id: Int64, approvalID: Int64, actor: String) throws -> PaymentPlanRecord {
        try write { db in
            var plan = try requirePlan(id, in: db)
            guard plan.approvalID != approvalID else { return plan }
            plan.approvalID = approvalID
            plan.updatedAt = now()
            try plan.update(db)
            try AuditChain.append(
                db, kind: "plan.hold", paymentID: nil, actor: actor, detail: ["plan": .integer(id), "approval": .integer(approvalID)],
                at: plan.updatedAt)
            return plan
        }
    }

    /// Accepts a plan that waited for a manager, as `decider`, and queues its jobs with it.
    /// Accepting an accepted plan again changes nothing (an approval run twice).
    public func acceptPlan(
        id: Int64, by decider: String, jobs: (PaymentPlanRecord, [PlanInstalmentRecord]) throws -> [NewOutboxJob]
    ) throws -> PaymentPlanRecord {
        try write { db in
            var plan = try requirePlan(id, in: db)
            if plan.state == .accepted { return plan }
            guard plan.state == .waitingApproval || plan.state == .proposed else {
                throw LedgerError.invalidRequest("Plan \(id) is \(plan.state.rawValue); it cannot be accepted now.")
            }
            let time = now()
            plan.state = .accepted
            plan.decidedBy = decider
            plan.decidedAt = time
            plan.updatedAt = time
            try plan.update(db)
            try AuditChain.append(db, kind: "plan.accept", paymentID: nil, actor: decider, detail: ["plan": .integer(id)], at: time)
            let instalments = try PlanInstalmentRecord.filter(Column("planID") == id).order(Column("number")).fetchAll(db)
            for job in try jobs(plan, instalments) { _ = try Ledger.enqueue(job, paymentID: nil, in: db, at: time, actor: decider) }
            return plan
        }
    }

    /// Ends a live plan, `cancelled` or `completed`, with the reason; its instalments still
    /// scheduled are cancelled (their jobs find them so and charge nothing), and so are those
    /// whose link was cancelled or expired. Ending an ended plan changes nothing.
    @discardableResult
    public func endPlan(id: Int64, as state: PaymentPlanRecord.State, reason: String, actor: String) throws -> PaymentPlanRecord {
        guard state == .cancelled || state == .completed else {
            throw LedgerError.invalidRequest("A plan ends cancelled or completed, not \(state.rawValue).")
        }
        return try write { db in try end(try requirePlan(id, in: db), as: state, reason: reason, actor: actor, in: db) }
    }

    /// Records what became of instalment `number` of plan `planID`; when every instalment is
    /// settled the plan is completed in the same transaction. Audited as `plan.instalment`.
    @discardableResult
    public func recordInstalment(
        planID: Int64, number: Int, state: PlanInstalmentRecord.State, paymentID: Int64? = nil, linkID: Int64? = nil,
        note: String? = nil, actor: String
    ) throws -> PlanInstalmentRecord {
        try write { db in
            guard
                var instalment = try PlanInstalmentRecord.filter(Column("planID") == planID && Column("number") == number).fetchOne(db)
            else { throw LedgerError.invalidRequest("Plan \(planID) has no instalment \(number).") }
            let time = now()
            instalment.state = state
            instalment.paymentID = paymentID ?? instalment.paymentID
            instalment.linkID = linkID ?? instalment.linkID
            instalment.note = CardDataScrubber.scrub(note) ?? instalment.note
            instalment.updatedAt = time
            try instalment.update(db)
            try AuditChain.append(
                db, kind: "plan.instalment", paymentID: paymentID, actor: actor,
                detail: [
                    "plan": .integer(planID), "instalment": .integer(Int64(number)), "state": .text(state.rawValue),
                    "amount": .integer(instalment.amountMinor), "link": linkID.map(AuditValue.integer) ?? .null,
                    "note": AuditValue(instalment.note),
                ], at: time)
            try completeIfSettled(planID: planID, actor: actor, in: db)
            return instalment
        }
    }

    /// A plan instalment's link was paid (called in the transaction that closes the link, so
    /// the two cannot disagree): the instalment is paid, and the plan completed if it was the last.
    func settleInstalment(linkID: Int64, paymentID: Int64?, actor: String, in db: Database, at time: Date) throws {
        guard var instalment = try PlanInstalmentRecord.filter(Column("linkID") == linkID).fetchOne(db),
            instalment.state == .linkSent
        else { return }
        instalment.state = .paid
        instalment.paymentID = paymentID
        instalment.updatedAt = time
        try instalment.update(db)
        try AuditChain.append(
            db, kind: "plan.instalment", paymentID: paymentID, actor: actor,
            detail: [
                "plan": .integer(instalment.planID), "instalment": .integer(Int64(instalment.number)), "state": .text("paid"),
                "amount": .integer(instalment.amountMinor), "link": .integer(linkID), "note": .null,
            ], at: time)
        try completeIfSettled(planID: instalment.planID, actor: actor, in: db)
    }

    /// Completes an accepted plan whose every instalment is charged or paid.
    private func completeIfSettled(planID: Int64, actor: String, in db: Database) throws {
        let all = try PlanInstalmentRecord.filter(Column("planID") == planID).fetchAll(db)
        let plan = try requirePlan(planID, in: db)
        if plan.state == .accepted, all.allSatisfy({ $0.state.isSettled }) {
            try end(plan, as: .completed, reason: "Every instalment is paid.", actor: actor, in: db)
        }
    }

    public func plan(id: Int64) throws -> PaymentPlanRecord? {
        try read { db in try PaymentPlanRecord.fetchOne(db, key: id) }
    }

    /// The plan an approval holds, if it holds one.
    public func plan(approvalID: Int64) throws -> PaymentPlanRecord? {
        try read { db in try PaymentPlanRecord.filter(Column("approvalID") == approvalID).fetchOne(db) }
    }

    /// Plans on invoice `number`, newest first.
    public func plans(invoiceNumber number: String) throws -> [PaymentPlanRecord] {
        try read { db in
            try PaymentPlanRecord.filter(Column("invoiceNumber") == number).order(Column("id").desc).fetchAll(db)
        }
    }

    /// A plan's instalments, first first.
    public func instalments(planID: Int64) throws -> [PlanInstalmentRecord] {
        try read { db in try PlanInstalmentRecord.filter(Column("planID") == planID).order(Column("number")).fetchAll(db) }
    }

    /// The plan that holds invoice `invoiceID` now (proposed, waiting or accepted), if any.
    public func livePlan(invoiceID: String) throws -> PaymentPlanRecord? {
        try read { db in try livePlan(invoiceID: invoiceID, in: db) }
    }

    private func livePlan(invoiceID: String, in db: Database) throws -> PaymentPlanRecord? {
        try PaymentPlanRecord.filter(Column("invoiceID") == invoiceID)
            .filter([PaymentPlanRecord.State.proposed, .waitingApproval, .accepted].map(\.rawValue).contains(Column("state")))
            .fetchOne(db)
    }

    private func requirePlan(_ id: Int64, in db: Database) throws -> PaymentPlanRecord {
        guard let plan = try PaymentPlanRecord.fetchOne(db, key: id) else {
            throw LedgerError.invalidRequest("There is no payment plan \(id).")
        }
        return plan
    }

    @discardableResult
    private func end(_ plan: PaymentPlanRecord, as state: PaymentPlanRecord.State, reason: String, actor: String, in db: Database) throws
        -> PaymentPlanRecord
    {
        guard plan.state.isLive else { return plan }
        var plan = plan
        let time = now()
        plan.state = state
        plan.endedReason = CardDataScrubber.scrub(reason)
        plan.updatedAt = time
        try plan.update(db)
        // Not taken: what is still scheduled, and a link sent that no longer takes money (it was
        // cancelled or expired). A link still open stays `linkSent`: if the client pays it, it is paid.
        try db.execute(
            sql: """
                UPDATE planInstalment SET state = 'cancelled', note = ?, updatedAt = ?
                WHERE planID = ? AND (state = 'scheduled'
                  OR (state = 'linkSent' AND linkID IN (SELECT id FROM paymentLink WHERE state IN ('cancelled', 'expired'))))
                """,
            arguments: [plan.endedReason, time, plan.id])
        try AuditChain.append(
            db, kind: state == .cancelled ? "plan.cancel" : "plan.complete", paymentID: nil, actor: actor,
            detail: ["plan": .integer(plan.id), "reason": AuditValue(plan.endedReason)], at: time)
        return plan
    }
}

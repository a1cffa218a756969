import Foundation
import Ledger
import Logging
import PosPlusCore
import Receivables

/// The risk step of a charge or a payment link (issue 13, part 4): the client's record read
/// fresh from the ledger (and their paid invoices in Jobber, for the new-client signal), scored by ``RiskScorer``, audited as `risk.score`, and — when
/// `risk.mode` says so — held for a manager through ``ApprovalGate``, together with any
/// approval threshold the same request is over, as one approval with every reason.
///
/// One approval per request, not one per rule: the manager sees all the reasons at once, and
/// approving runs the request under its key, where the gate lets it pass — it is never held a
/// second time by a signal that fires again.
struct RiskScreen {
    let ledger: Ledger
    let settings: RiskSettings
    let logger: Logger?
    /// The client's invoices in Jobber, when read (``jobberHistory(for:settings:source:anyMode:)``).
    var jobber: ClientPaymentHistory? = nil

    /// The client's Jobber history, read only when it can change the answer: a request over the
    /// new-client limit, with risk on (or `anyMode`, for `posplus risk check`). Nil when it was
    /// not read or Jobber could not be reached: the ledger's record alone is scored then, as
    /// the signal's sentence shows (it names Jobber only when Jobber was counted).
    static func jobberHistory(
        for request: RiskRequest?, settings: RiskSettings, source: ClientHistorySource?, anyMode: Bool = false
    ) async -> ClientPaymentHistory? {
        guard anyMode || settings.mode != .off, let request, let source,
            request.amount.minorUnits > settings.rules.newClientLimitMinor
        else { return nil }
        return try? await source(request.clientID)
    }

    /// What the scorer makes of `request` on the ledger's record now, whatever the mode.
    func assess(_ request: RiskRequest) throws -> RiskAssessment {
        let rules = settings.rules
        let records = try ledger.riskRecords(
            clientID: request.clientID, recentSince: request.at.addingTimeInterval(-rules.smallChargeWindow.timeInterval),
            card: request.card, declinedSince: request.at.addingTimeInterval(-rules.declinedCardLookback.timeInterval),
            approvedLimit: RiskRules.usualSampleSize)
        let history = RiskHistory(
            approvedAmounts: records.approvedAmounts,
            recentCharges: records.recentCharges.map { RiskHistory.Charge(amount: $0.amount, at: $0.at) },
            cardDeclines: records.cardDeclines.map { RiskHistory.Decline(paymentID: $0.paymentID, clientID: $0.clientID, at: $0.at) },
            jobber: jobber)
        return RiskScorer(rules: rules).assess(request, history: history)
    }

    /// Returns when the request may go ahead; otherwise holds it (or finds it held) and throws
    /// ``ApprovalHold`` with nothing sent.
    ///
    /// - Parameters:
    ///   - request: what the scorer sees; nil when there is nothing to score (no client known).
    ///   - threshold: the approval threshold's reason, when the request is over one.
    ///   - approval: the request to hold, given the combined reason.
    ///   - context: what the audit event names besides the score (invoice, key).
    func require(
        _ request: RiskRequest?, threshold: String?, approval: (String) throws -> NewApproval, by actor: String,
        context: [String: AuditValue]
    ) throws {
        let assessment = settings.mode == .off ? nil : try request.map { try assess($0) }
        let holdsForRisk = assessment.map(settings.holds) ?? false
        let reasons = [threshold, holdsForRisk ? assessment?.reason : nil].compactMap { $0 }
        guard !reasons.isEmpty else {
            if let assessment, let request { try audit(assessment, of: request, outcome: "passed", approval: nil, by: actor, context) }
            return
        }
        let held = try approval(reasons.joined(separator: "; and "))
        do {
            try ApprovalGate(ledger: ledger, logger: logger).require(held, by: actor)
        } catch let hold as ApprovalHold {
            if let assessment, let request {
                let outcome = if case .denied = hold { "denied earlier" } else { holdsForRisk ? "held" : "held by a threshold" }
                try audit(assessment, of: request, outcome: outcome, approval: hold.approval.id, by: actor, context)
            }
            throw hold
        }
        if let assessment, let request {
            let approved = try ledger.approval(idempotencyKey: held.idempotencyKey)?.id
            try audit(assessment, of: request, outcome: "approved earlier", approval: approved, by: actor, context)
        }
    }

    /// One `risk.score` event per scored request, held or not: the score, the signals' names,
    /// the mode and level that applied, and what came of it.
    private func audit(
        _ assessment: RiskAssessment, of request: RiskRequest, outcome: String, approval: Int64?, by actor: String,
        _ context: [String: AuditValue]
    ) throws {
        var detail = context
        detail["score"] = .integer(Int64(assessment.score))
        detail["signals"] = .text(assessment.signalNames)
        detail["mode"] = .text(settings.mode.rawValue)
        detail["holdAt"] = .integer(Int64(settings.holdAt))
        detail["amount"] = .integer(request.amount.minorUnits)
        detail["client"] = .text(request.clientID)
        detail["outcome"] = .text(outcome)
        if let approval { detail["approval"] = .integer(approval) }
        try ledger.recordAuditEvent(kind: "risk.score", actor: actor, detail: detail)
        if !assessment.signals.isEmpty {
            logger?.info(
                "risk signals", metadata: ["score": "\(assessment.score)", "signals": "\(assessment.signalNames)", "outcome": "\(outcome)"])
        }
    }
}

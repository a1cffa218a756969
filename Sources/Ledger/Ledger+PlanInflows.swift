import Foundation
import GRDB
import PosPlusCore

extension Ledger {
    /// Instalments of accepted plans still to be charged or asked for, with their plan, in the
    /// order they fall due: the cash a plan promises, for the forecast.
    public func scheduledInstalments() throws -> [(plan: PaymentPlanRecord, instalment: PlanInstalmentRecord)] {
        try read { db in
            let plans = try PaymentPlanRecord.filter(Column("state") == PaymentPlanRecord.State.accepted.rawValue).fetchAll(db)
            let byID = Dictionary(uniqueKeysWithValues: plans.map { ($0.id, $0) })
            guard !byID.isEmpty else { return [] }
            return try PlanInstalmentRecord.filter(byID.keys.contains(Column("planID")))
                .filter(Column("state") == PlanInstalmentRecord.State.scheduled.rawValue)
                .order(Column("dueAt"), Column("id")).fetchAll(db)
                .compactMap { instalment in byID[instalment.planID].map { ($0, instalment) } }
        }
    }
}

import Foundation
import HTTPClient
import Ledger

/// The outbox job that takes one instalment of a plan when it falls due (`runAt` = its due
/// time). The job carries only the plan and the instalment's number; everything else is read
/// when it runs, so a plan cancelled or an invoice paid in the meantime is seen.
public enum PlanInstalmentJob {
    public static let kind = "plan.instalment"

    static func job(planID: Int64, number: Int, dueAt: Date) -> NewOutboxJob {
        NewOutboxJob(
            kind: kind, dedupeKey: "\(kind)-\(planID)-\(number)",
            payload: JSONValue.object(["plan": .number(String(planID)), "instalment": .number(String(number))]).serialized, runAt: dueAt)
    }

    /// The plan and instalment a payload names; throws naming what is missing.
    static func target(of payload: String) throws -> (planID: Int64, number: Int) {
        let json = try JSONValue.parse(Array(payload.utf8))
        guard let plan = json["plan"]?.numberText.flatMap(Int64.init), let number = json["instalment"]?.numberText.flatMap(Int.init) else {
            throw LedgerError.invalidRequest("plan instalment job payload has no whole plan and instalment")
        }
        return (plan, number)
    }

    /// The worker's handler: runs the instalment through `plans`. A run cut short is run again
    /// and finds what the first run did under the instalment's key, so nothing is taken twice.
    public static func handler<C: Clock<Duration>>(plans: @escaping @Sendable () throws -> PlanService<C>) -> OutboxWorker.Handler {
        { job in
            let (plan, number) = try target(of: job.payload)
            try await plans().runInstalment(planID: plan, number: number)
        }
    }
}

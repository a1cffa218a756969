import Foundation
import GRDB
import PosPlusCore

/// The durable outbox: work that follows a payment, retried until it succeeds.
///
/// A worker claims due jobs with a lease; completing or failing a job is one transaction.
/// A worker that dies mid-job simply lets its lease lapse, and the job is claimed again — so
/// a job's handler must be safe to run twice (the Jobber write-back looks for its own note
/// before creating one).
extension Ledger {
    /// Enqueues a job on its own. Usually jobs ride along with ``finishAttempt(_:with:actor:jobs:)``.
    /// - Returns: the job, or the one already enqueued under the same dedupe key.
    @discardableResult
    public func enqueue(_ job: NewOutboxJob, paymentID: Int64? = nil) throws -> OutboxJobRecord {
        try write { db in try Ledger.enqueue(job, paymentID: paymentID, in: db, at: now()) }
    }

    /// `actor` is whoever's action queued the job (the person whose payment or link it follows),
    /// so every event of a payment names the person; "ledger" when no one's action did.
    static func enqueue(_ job: NewOutboxJob, paymentID: Int64?, in db: Database, at time: Date, actor: String = "ledger") throws
        -> OutboxJobRecord
    {
        if let existing = try OutboxJobRecord.filter(Column("dedupeKey") == job.dedupeKey).fetchOne(db) { return existing }
        guard !CardNumberScreen.containsCardNumber(job.payload) else { throw LedgerError.cardDataRefused(field: "an outbox payload") }
        let record = try OutboxJobRecord.Draft(
            kind: job.kind, paymentID: paymentID, dedupeKey: job.dedupeKey, payload: job.payload, state: .pending, attempts: 0,
            nextRunAt: job.runAt ?? time, createdAt: time, updatedAt: time
        ).insertAndFetch(db, as: OutboxJobRecord.self)
        try AuditChain.append(
            db, kind: "outbox.enqueue", paymentID: paymentID, actor: actor,
            detail: ["job": .integer(record.id), "kind": .text(job.kind)], at: time)
        return record
    }

    /// Puts a finished or dead job back to run now (reconcile found its effect missing: a Jobber
    /// note deleted, say). The job itself checks for its effect before acting; audited.
    public func rearmJob(_ id: Int64, actor: String) throws {
        try write { db in
            guard var job = try OutboxJobRecord.fetchOne(db, key: id) else { throw LedgerError.jobNotFound(id) }
            guard job.state != .running else { return }
            let time = now()
            job.state = .pending
            job.nextRunAt = time
            job.leaseUntil = nil
            job.updatedAt = time
            try job.update(db)
            try AuditChain.append(db, kind: "outbox.rearm", paymentID: job.paymentID, actor: actor, detail: ["job": .integer(id)], at: time)
        }
    }

    /// Claims up to `limit` jobs that are due (or whose worker's lease ran out), marking them
    /// running until `now + lease`. Each job is claimed by one worker at a time, across processes.
    public func claimDueJobs(limit: Int = 10, lease: Duration = .seconds(60)) throws -> [OutboxJobRecord] {
        try write { db in
            let time = now()
            let due =
                try OutboxJobRecord
                .filter(
                    (Column("state") == OutboxJobRecord.State.pending.rawValue && Column("nextRunAt") <= time)
                        || (Column("state") == OutboxJobRecord.State.running.rawValue && Column("leaseUntil") <= time)
                )
                .order(Column("nextRunAt"), Column("id"))
                .limit(limit)
                .fetchAll(db)
            return try due.map { job in
                var claimed = job
                claimed.state = .running
                claimed.attempts += 1
                claimed.leaseUntil = time.addingTimeInterval(lease.timeInterval)
                claimed.updatedAt = time
                try claimed.update(db)
                return claimed
            }
        }
    }

    /// Marks a job done. Completing a job twice is harmless.
    public func completeJob(_ id: Int64) throws {
        try write { db in
            guard var job = try OutboxJobRecord.fetchOne(db, key: id) else { throw LedgerError.jobNotFound(id) }
            guard job.state != .done else { return }
            let time = now()
            job.state = .done
            job.leaseUntil = nil
            job.updatedAt = time
            try job.update(db)
            try AuditChain.append(
                db, kind: "outbox.done", paymentID: job.paymentID, actor: "outbox",
                detail: ["job": .integer(id), "kind": .text(job.kind), "attempts": .integer(Int64(job.attempts))], at: time)
        }
    }

    /// Records a failed run: schedules the next one by `schedule`, or parks the job as dead
    /// when no attempt is left. The error text is kept for `posplus` to show.
    @discardableResult
    public func failJob(
        _ id: Int64, error: String, schedule: RetrySchedule, using generator: inout some RandomNumberGenerator
    ) throws -> OutboxJobRecord {
        let message = CardDataScrubber.scrub(String(error.prefix(1000)))
        return try write { db in
            guard var job = try OutboxJobRecord.fetchOne(db, key: id) else { throw LedgerError.jobNotFound(id) }
            guard job.state == .running || job.state == .pending else { return job }  // done elsewhere meanwhile
            let time = now()
            job.lastError = message
            job.leaseUntil = nil
            job.updatedAt = time
            if let delay = schedule.delay(afterAttempt: job.attempts, using: &generator) {
                job.state = .pending
                job.nextRunAt = time.addingTimeInterval(delay.timeInterval)
            } else {
                job.state = .dead
                try AuditChain.append(
                    db, kind: "outbox.dead", paymentID: job.paymentID, actor: "outbox",
                    detail: ["job": .integer(id), "kind": .text(job.kind), "error": AuditValue(message)], at: time)
            }
            try job.update(db)
            return job
        }
    }

    /// Puts a claimed job back without counting the run as an attempt: the job could not even
    /// start (say, Jobber is disconnected and no request was sent), so it waits, pending and
    /// visible with `reason`, and is looked at again at `until`. It never runs out of attempts
    /// this way, because nothing was tried.
    @discardableResult
    public func postponeJob(_ id: Int64, reason: String, until: Date) throws -> OutboxJobRecord {
        let message = CardDataScrubber.scrub(String(reason.prefix(1000)))
        return try write { db in
            guard var job = try OutboxJobRecord.fetchOne(db, key: id) else { throw LedgerError.jobNotFound(id) }
            guard job.state == .running || job.state == .pending else { return job }  // done elsewhere meanwhile
            if job.state == .running { job.attempts = max(0, job.attempts - 1) }  // the claim counted a run that never happened
            job.state = .pending
            job.lastError = message
            job.leaseUntil = nil
            job.nextRunAt = until
            job.updatedAt = now()
            try job.update(db)
            return job
        }
    }

    /// Jobs in the given states, oldest first.
    public func jobs(states: Set<OutboxJobRecord.State>? = nil) throws -> [OutboxJobRecord] {
        try read { db in
            var request = OutboxJobRecord.order(Column("id"))
            if let states { request = request.filter(states.map(\.rawValue).contains(Column("state"))) }
            return try request.fetchAll(db)
        }
    }
}

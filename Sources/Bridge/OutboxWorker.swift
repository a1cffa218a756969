import Foundation
import Ledger
import Logging
import PosPlusCore

/// Runs the durable outbox: claims due jobs, hands each to the handler for its kind, and marks
/// it done or schedules a retry. A job whose kind has no handler stays failed with that
/// reason, so nothing is silently dropped.
public struct OutboxWorker: Sendable {
    /// Does one job; throws to have it retried.
    public typealias Handler = @Sendable (OutboxJobRecord) async throws -> Void

    public let ledger: Ledger
    public let handlers: [String: Handler]
    public let schedule: RetrySchedule
    public let logger: Logger

    public init(ledger: Ledger, handlers: [String: Handler], schedule: RetrySchedule = RetrySchedule(), logger: Logger) {
        self.ledger = ledger
        self.handlers = handlers
        self.schedule = schedule
        self.logger = logger
    }

    /// Runs passes of `batch` jobs while passes come back full and all done; returns how many
    /// completed. Why not one pass: serve ticks every few seconds, and one pass of 20 a tick
    /// leaves a busy hour's Jobber notes (hundreds of sales) queued for many minutes. A pass
    /// with a failure or a short batch ends the drain, so a failing Jobber is not hammered.
    @discardableResult
    public func drain(batch: Int = 20) async throws -> Int {
        var completed = 0
        while true {
            let pass = try await runDueJobs(limit: batch)
            completed += pass
            if pass < batch { return completed }
        }
    }

    /// Runs every job due now, once; returns how many completed.
    @discardableResult
    public func runDueJobs(limit: Int = 20) async throws -> Int {
        var completed = 0
        var random = SystemRandomNumberGenerator()
        for job in try ledger.claimDueJobs(limit: limit) {
            guard let handler = handlers[job.kind] else {
                try ledger.failJob(job.id, error: "no handler for job kind \(job.kind)", schedule: schedule, using: &random)
                continue
            }
            do {
                try await handler(job)
                try ledger.completeJob(job.id)
                completed += 1
            } catch let waiting as OutboxJobWaiting {
                // Nothing was tried: the job waits, pending and explained, without using up an attempt.
                try ledger.postponeJob(job.id, reason: waiting.reason, until: ledger.now().addingTimeInterval(waiting.recheckAfter))
            } catch {
                logger.warning("outbox job failed", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "error": "\(error)"])
                try ledger.failJob(job.id, error: "\(error)", schedule: schedule, using: &random)
            }
        }
        return completed
    }
}

/// Thrown by a handler whose job cannot even start now, for a reason outside the job (Jobber
/// is disconnected and no request was sent): the job stays pending with `reason` shown, is
/// looked at again after `recheckAfter` seconds, and no attempt is counted, so waiting for
/// staff to reconnect never turns a job dead.
public struct OutboxJobWaiting: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var recheckAfter: TimeInterval

    public init(reason: String, recheckAfter: TimeInterval = 15) {
        self.reason = reason
        self.recheckAfter = recheckAfter
    }

    public var description: String { reason }
}

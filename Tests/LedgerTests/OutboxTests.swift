import Foundation
import Ledger
import PosPlusCore
import Testing

@Suite("Ledger: durable outbox")
struct OutboxTests {
    struct FixedGenerator: RandomNumberGenerator {
        mutating func next() -> UInt64 { 0 }
    }

    let writeBack = NewOutboxJob(kind: "jobber.writeBack", dedupeKey: "writeback-P1", payload: "{\"payment\":1}")

    @Test func jobsRideAlongWithTheAnswerThatCausedThem() throws {
        let fixture = try LedgerFixture()
        let payment = try fixture.ledger.begin(fixture.sale(100, key: "k"), idempotencyKey: IdempotencyKey("k"), operator: "ada").payment
        let attempt = try fixture.ledger.startAttempt(paymentID: payment.id, reference: PaymentReference("OB1"), actor: "ada")
        try fixture.ledger.finishAttempt(
            attempt.id, with: .approved(AttemptDetails(captured: fixture.usd(100))), actor: "ada", jobs: [writeBack])
        let jobs = try fixture.ledger.jobs()
        #expect(jobs.count == 1)
        #expect(jobs.first?.paymentID == payment.id)
        #expect(jobs.first?.state == .pending)
    }

    @Test func theSameDedupeKeyIsOneJob() throws {
        let fixture = try LedgerFixture()
        let first = try fixture.ledger.enqueue(writeBack)
        let second = try fixture.ledger.enqueue(writeBack)
        #expect(first.id == second.id)
        #expect(try fixture.ledger.jobs().count == 1)
    }

    @Test func aClaimedJobIsLeasedAndReturnsWhenTheLeaseRunsOut() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.enqueue(writeBack)
        let claimed = try fixture.ledger.claimDueJobs(lease: .seconds(30))
        #expect(claimed.map(\.state) == [.running])
        #expect(claimed.first?.attempts == 1)
        // Another worker (another process) finds nothing while the lease holds…
        #expect(try fixture.reopen().claimDueJobs().isEmpty)
        // …and takes it over once the first worker has died and the lease lapsed.
        fixture.clock.advance(by: 31)
        #expect(try fixture.reopen().claimDueJobs().first?.attempts == 2)
    }

    @Test func failuresBackOffThenPark() throws {
        let fixture = try LedgerFixture()
        let job = try fixture.ledger.enqueue(writeBack)
        var generator = FixedGenerator()
        let schedule = RetrySchedule(initialDelay: .seconds(10), maximumDelay: .seconds(60), maximumAttempts: 3)

        _ = try fixture.ledger.claimDueJobs()
        let retried = try fixture.ledger.failJob(job.id, error: "Jobber 503", schedule: schedule, using: &generator)
        #expect(retried.state == .pending)
        #expect(retried.lastError == "Jobber 503")
        #expect(retried.nextRunAt == fixture.clock.now.addingTimeInterval(5))  // half of 10 s: the jitter floor
        #expect(try fixture.ledger.claimDueJobs().isEmpty)  // not due yet

        fixture.clock.advance(by: 5)
        _ = try fixture.ledger.claimDueJobs()
        _ = try fixture.ledger.failJob(job.id, error: "Jobber 503", schedule: schedule, using: &generator)
        fixture.clock.advance(by: 60)
        _ = try fixture.ledger.claimDueJobs()
        let parked = try fixture.ledger.failJob(job.id, error: "Jobber 503 again", schedule: schedule, using: &generator)
        #expect(parked.state == .dead)
        #expect(try fixture.ledger.auditEvents().last?.kind == "outbox.dead")
    }

    @Test func completingIsFinalAndHarmlessTwice() throws {
        let fixture = try LedgerFixture()
        let job = try fixture.ledger.enqueue(writeBack)
        _ = try fixture.ledger.claimDueJobs()
        try fixture.ledger.completeJob(job.id)
        try fixture.ledger.completeJob(job.id)
        fixture.clock.advance(by: 3600)
        #expect(try fixture.ledger.claimDueJobs().isEmpty)
        #expect(try fixture.ledger.jobs(states: [.done]).count == 1)
        #expect(throws: LedgerError.jobNotFound(999)) { try fixture.ledger.completeJob(999) }
    }

    @Test func aPayloadWithACardNumberIsRefused() throws {
        let fixture = try LedgerFixture()
        let leaky = NewOutboxJob(kind: "receipt.email", dedupeKey: "r1", payload: "{\"pan\":\"4242424242424242\"}")
        #expect(throws: LedgerError.cardDataRefused(field: "an outbox payload")) { try fixture.ledger.enqueue(leaky) }
    }
}

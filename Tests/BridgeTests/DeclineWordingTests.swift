import Bridge
import Foundation
import JobberTestSupport
import Ledger
import PosPlusCore
import Receivables
import Testing

/// What a person reads about a decline's recovery says what will really happen: a link goes by
/// email to a client with no phone that takes texts, a recovery that has ended proposes
/// nothing, and times are on the business's clock with the zone named. Declines made at the
/// PAX simulator ($20.01: do not honor), clients and contacts from the Jobber simulator.
@Suite("Decline recoveries: what the proposals and the CLI say", .timeLimit(.minutes(2)))
struct DeclineWordingTests {
    static func world(mode: String, timeZone: String = "UTC") async throws -> APIWorld {
        try await APIWorld.start(
            extra: """
                [reconcile]
                time_zone = "\(timeZone)"

                [declines]
                mode = "\(mode)"
                retry_days = "1,3"
                retry_window = "08:00-18:00"
                email_after_days = 2
                """)
    }

    /// $20.01 declined at the counter on `invoice` (part of its balance).
    static func counterDecline(on invoice: String, in world: APIWorld) async throws -> PaymentRecord {
        let declined = try await world.app.paymentService().charge(
            .init(target: .invoiceNumber(invoice), amount: Money(minorUnits: 2_001, currency: .usd), intent: .partial),
            on: try world.app.channel(named: "front-desk"), operator: "fred", idempotencyKey: try IdempotencyKey("counter-\(invoice)"))
        #expect(declined.state == .declined)
        return declined
    }

    static func evidence(_ payment: PaymentRecord, in world: APIWorld) throws -> DeclineEvidence {
        try #require(DeclineEvidence(payment: payment, attempts: try world.ledger.attempts(paymentID: payment.id)))
    }

    @Test func aClientWithNoPhoneThatTakesTextsIsProposedAnEmailedLink() async throws {
        let world = try await Self.world(mode: "suggest")
        // Bletchley Bakery has an email in Jobber and no phone.
        let declined = try await Self.counterDecline(on: "1060", in: world)
        _ = try await world.app.outboxWorker().drain()

        let recovery = try #require(try world.ledger.declineRecovery(paymentID: declined.id))
        let step = try #require(try world.ledger.declineSteps(recoveryID: recovery.id).first)
        #expect(step.action == .emailLink && step.state == .proposed, "\(step)")
        #expect(step.reason.hasSuffix("has no phone in Jobber that takes texts, so it is emailed."), "\(step.reason)")
        let approvalID = try #require(step.approvalID)
        let approval = try #require(try world.ledger.approval(id: approvalID))
        #expect(approval.summary.hasPrefix("email a payment link for $20.01 on invoice #1060 to "), "\(approval.summary)")
        #expect(approval.summary.hasSuffix("(office@bletchley.example)") && !approval.summary.contains("text"), "\(approval.summary)")

        // `declines plan` says the same.
        let lines = try await world.app.declinePlanLines(for: declined, evidence: try Self.evidence(declined, in: world))
        #expect(lines.contains { $0.hasSuffix("email the customer a payment link (no phone that takes texts)") }, "\(lines)")
        #expect(!lines.contains { $0.contains("text the customer") }, "\(lines)")
        await world.stop()
    }

    @Test func aClientWithAPhoneThatTakesTextsIsStillProposedAText() async throws {
        let world = try await Self.world(mode: "suggest")
        let declined = try await Self.counterDecline(on: "1043", in: world)
        _ = try await world.app.outboxWorker().drain()
        let recovery = try #require(try world.ledger.declineRecovery(paymentID: declined.id))
        let step = try #require(try world.ledger.declineSteps(recoveryID: recovery.id).first)
        #expect(step.action == .textLink && !step.reason.contains("emailed"), "\(step)")
        let approvalID = try #require(step.approvalID)
        let summary = try #require(try world.ledger.approval(id: approvalID)).summary
        #expect(
            summary.hasPrefix("text a payment link for $20.01 on invoice #1043 to ") && summary.hasSuffix("(+15555550101)"), "\(summary)")
        let lines = try await world.app.declinePlanLines(for: declined, evidence: try Self.evidence(declined, in: world))
        #expect(lines.contains { $0.hasSuffix(": text the customer a payment link") }, "\(lines)")
        #expect(lines.last == "Recovery \(recovery.id) is running: `posplus declines show \(recovery.id)` shows what it has done so far.")
        await world.stop()
    }

    @Test func planningAFinishedRecoverySaysItEndedAndWhyAndProposesNothing() async throws {
        let world = try await Self.world(mode: "auto")
        let declined = try await Self.counterDecline(on: "1043", in: world)
        _ = try await world.app.outboxWorker().drain()
        let recovery = try #require(try world.ledger.declineRecovery(paymentID: declined.id))
        try world.ledger.stopDeclineRecovery(id: recovery.id, reason: "paying by cheque on Friday", by: "meg")

        let lines = try await world.app.declinePlanLines(for: declined, evidence: try Self.evidence(declined, in: world))
        #expect(lines.count == 3, "\(lines)")
        #expect(lines[0].hasPrefix("Soft decline"), "\(lines)")
        #expect(lines[1] == "Its recovery (\(recovery.id)) has ended: Stopped by meg: paying by cheque on Friday.")
        #expect(lines[2] == "Nothing more is proposed. `posplus declines show \(recovery.id)` shows what was done.")
        #expect(!lines.contains { $0.contains("payment link") || $0.contains("If nothing changes") })
        await world.stop()
    }

    @Test func showingARecoveryGivesItsTimesOnTheBusinessClockWithTheZoneNamed() async throws {
        // 2026-12-01 15:00 UTC is 09:00 in Chicago.
        let world = try await Self.world(mode: "suggest", timeZone: "America/Chicago")
        let declined = try await Self.counterDecline(on: "1043", in: world)
        _ = try await world.app.outboxWorker().drain()
        let recovery = try #require(try world.ledger.declineRecovery(paymentID: declined.id))
        let zone = world.app.config.reconcile.timeZone
        let step = try #require(try world.ledger.declineSteps(recoveryID: recovery.id).first)
        #expect(DeclineText.step(step, timeZone: zone).hasPrefix("1. 2026-12-01 09:00 America/Chicago text a payment link: proposed"))
        let wake = try #require(recovery.nextWakeAt)
        #expect(
            DeclineText.summary(recovery, timeZone: zone)
                == "Recovery \(recovery.id): invoice #1043, declined payment \(declined.id), running; next step "
                + "\(LocalTimeText.text(wake, in: zone)).")
        #expect(LocalTimeText.text(wake, in: zone).hasSuffix(" America/Chicago"))
        #expect(LocalTimeText.text(Date(timeIntervalSince1970: 1_796_137_200), in: zone) == "2026-12-01 09:00 America/Chicago")
        await world.stop()
    }
}

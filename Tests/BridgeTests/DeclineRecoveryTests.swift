import Bridge
import Foundation
import GatewaySimulator
import JobberSimulator
import JobberTestSupport
import Ledger
import PosPlusCore
import Testing

/// Failed-payment recovery as `serve` runs it: a saved card declined at the Stripe simulator,
/// the `declines.start` job the decline queued, then the outbox (the same worker `serve`
/// drains) moving the sequence on as the ledger's clock is stepped — links created through the
/// link service, retries charged through the one payment path, approvals decided over the API,
/// the invoice read in the Jobber simulator before every step. Real SQLite file, real sockets.
@Suite("Failed-payment recovery, carried out", .timeLimit(.minutes(2)))
struct DeclineRecoveryTests {
    static func world(mode: String) async throws -> APIWorld {
        try await APIWorld.start(
            extra: """
                [reconcile]
                time_zone = "UTC"

                [declines]
                mode = "\(mode)"
                retry_days = "1,3"
                retry_window = "09:00-18:00"
                email_after_days = 2
                """)
    }

    /// Ada's saved card declined for insufficient funds on invoice #1044 ($89.99).
    static func declinedSavedCard(in world: APIWorld) async throws -> PaymentRecord {
        let card = try await GatewayChannelTests.saveStripeCard(
            number: "4000000000009995", gateway: try world.app.stripeGateway(), simulatorURL: world.stripeServer.baseURL,
            secretKey: "sk_test_api", ledger: try world.ledger)
        let payment = try await world.app.paymentService().charge(
            .init(target: .invoiceNumber("1044"), operation: .tokenSale, savedCardID: card),
            on: try world.app.channel(forSavedCard: card), operator: "fred", idempotencyKey: try IdempotencyKey("ada-card"))
        #expect(payment.state == .declined)
        return payment
    }

    /// Runs what is due in the outbox, as `serve` does each tick.
    static func drain(_ world: APIWorld) async throws {
        _ = try await world.app.outboxWorker().drain()
    }

    /// Steps the ledger's clock to the recovery's next wake-up and runs what is due then.
    static func wakeUp(_ world: APIWorld, _ recovery: DeclineRecoveryRecord) async throws {
        let wake = try #require(recovery.nextWakeAt)
        world.clock.advance(max(0, wake.timeIntervalSince(world.clock.date)) + 1)
        try await drain(world)
    }

    static func recovery(_ world: APIWorld) throws -> DeclineRecoveryRecord {
        try #require(try world.ledger.declineRecoveries().first)
    }

    static func steps(_ world: APIWorld) throws -> [DeclineStepRecord] {
        try world.ledger.declineSteps(recoveryID: try recovery(world).id)
    }

    /// Charges the recovery made of Ada's card: payments under a `declines-` key.
    static func retries(_ world: APIWorld) throws -> [PaymentRecord] {
        try world.ledger.payments(limit: 100).filter { $0.idempotencyKey.hasPrefix("declines-") }.sorted { $0.id < $1.id }
    }

    @Test func inAutoModeASoftDeclineIsTextedALinkRetriedOnItsDaysAndStopsWhenTheRetryIsApproved() async throws {
        let world = try await Self.world(mode: "auto")
        let declined = try await Self.declinedSavedCard(in: world)
        #expect(try world.ledger.jobs().contains { $0.kind == "declines.start" && $0.paymentID == declined.id })
        try await Self.drain(world)

        var recovery = try Self.recovery(world)
        #expect(recovery.paymentID == declined.id && recovery.state == .active && recovery.savedCardID != nil)
        #expect(recovery.explanation.contains("insufficient_funds"), "\(recovery.explanation)")
        let text = try #require(try Self.steps(world).first)
        #expect(text.action == .textLink && text.state == .done && text.approvalID == nil, "\(text)")
        let linkID = try #require(text.linkID)
        let link = try #require(try world.ledger.link(id: linkID))
        #expect(link.invoiceNumber == "1044" && link.amount == Money(minorUnits: 8_999, currency: .usd))
        // The first retry is the next day, inside the window, in the business's zone (UTC here).
        let wake = try #require(recovery.nextWakeAt)
        #expect(wake > world.clock.date.addingTimeInterval(20 * 3600) && wake < world.clock.date.addingTimeInterval(2 * 86400))
        let hour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: wake).hour ?? -1
        #expect((9..<18).contains(hour), "retried at \(wake)")

        // Try 1: the card is still short of money.
        try await Self.wakeUp(world, recovery)
        var retries = try Self.retries(world)
        #expect(retries.count == 1 && retries[0].state == .declined && retries[0].operation == .tokenSale)
        #expect(try world.ledger.declineRecoveries().count == 1, "a retry's decline does not start a second recovery")
        recovery = try Self.recovery(world)
        #expect(recovery.state == .active)

        // Day 2 brings the email (try 2 is on day 3); then the money arrives, and try 2 is
        // approved and ends the sequence: nothing else is scheduled.
        try await Self.wakeUp(world, recovery)
        #expect(try Self.steps(world).map(\.action) == [.textLink, .retryCard, .emailLink])
        #expect(try Self.retries(world).count == 1)
        world.stripe.fundsArrived()
        try await Self.wakeUp(world, try Self.recovery(world))
        retries = try Self.retries(world)
        #expect(retries.count == 2 && retries[1].state == .approved && retries[1].capturedMinor == 8_999)
        recovery = try Self.recovery(world)
        #expect(recovery.state == .finished && recovery.nextWakeAt == nil)
        #expect(recovery.finishReason?.contains("approved") == true, "\(recovery.finishReason ?? "")")
        #expect(try world.ledger.link(id: linkID)?.state == .cancelled, "the text's link cannot take the money a second time")

        // A tick run again (a retried job, a second process) charges nothing more.
        try world.ledger.enqueue(NewOutboxJob(kind: "declines.tick", dedupeKey: "again", payload: #"{"id":\#(recovery.id)}"#))
        try await Self.drain(world)
        #expect(try Self.retries(world).count == 2)
        let audit = try world.ledger.auditEvents(paymentID: declined.id).map(\.kind)
        #expect(audit.contains("decline.recovery.start") && audit.contains("decline.recovery.finish"), "\(audit)")
        await world.stop()
    }

    @Test func inSuggestModeEachStepWaitsForAPersonAndADeniedRetryBecomesALink() async throws {
        let world = try await Self.world(mode: "suggest")
        _ = try await Self.declinedSavedCard(in: world)
        try await Self.drain(world)

        let proposed = try #require(try Self.steps(world).first)
        #expect(proposed.action == .textLink && proposed.state == .proposed && proposed.linkID == nil)
        #expect(try world.ledger.links(limit: 10).isEmpty, "nothing is sent before a person approves")
        let approvalID = try #require(proposed.approvalID)
        let approval = try #require(try world.ledger.approval(id: approvalID))
        #expect(approval.kind == .declineStep && approval.state == .waiting)
        #expect(approval.reason.contains("Meanwhile the customer can pay by link"), "\(approval.reason)")
        #expect(approval.summary.contains("invoice #1044"), "\(approval.summary)")

        // A manager approves the text over the API: the link is made then, under the step's key.
        let approved = try APIWorld.object(
            try await world.send(as: "meg", .post, "/api/approvals/\(approval.id)/approve", json: "{}"))
        #expect((approved["link"] as? [String: Any])?["invoiceNumber"] as? String == "1044", "\(approved)")
        #expect(try Self.steps(world)[0].state == .done)

        // The retry's day comes: it too is only proposed, and nothing is charged.
        try await Self.wakeUp(world, try Self.recovery(world))
        let retry = try #require(try Self.steps(world).first { $0.action == .retryCard })
        #expect(retry.state == .proposed && retry.tryNumber == 1)
        #expect(try Self.retries(world).isEmpty)

        // Denied: the sequence hears of it at once and proposes a link instead of the card.
        let retryApproval = try #require(retry.approvalID)
        let denied = try await world.send(
            as: "meg", .post, "/api/approvals/\(retryApproval)/deny", json: #"{"note":"customer asked us not to"}"#)
        #expect(denied.status == 200)
        try await Self.drain(world)
        let after = try Self.steps(world)
        #expect(after.first { $0.id == retry.id }?.state == .skipped)
        let relink = try #require(after.last)
        #expect(relink.action == .textLink && relink.state == .proposed && relink.reason.contains("chose not to charge"), "\(relink)")
        #expect(try Self.retries(world).isEmpty)

        // The office takes a cheque in Jobber: the next wake-up ends it; the open proposal is withdrawn.
        _ = await world.jobber.recordPayment(invoice: Seed.IDs.invoice(1044), cents: 8_999)
        try await Self.wakeUp(world, try Self.recovery(world))
        let recovery = try Self.recovery(world)
        #expect(recovery.state == .finished && recovery.finishReason?.contains("paid") == true)
        #expect(try Self.steps(world).last?.state == .skipped)
        let relinkApproval = try #require(relink.approvalID)
        let withdrawn = try #require(try world.ledger.approval(id: relinkApproval))
        #expect(withdrawn.state == .denied && withdrawn.note?.contains("paid") == true)
        // Approving it now changes nothing: the approval is decided, and the recovery is over.
        let late = try await world.send(as: "boss", .post, "/api/approvals/\(withdrawn.id)/approve", json: "{}")
        #expect(late.status == 409 || late.status == 422, "\(late.status)")
        #expect(try world.ledger.links(limit: 10).count == 1)
        await world.stop()
    }

    @Test func aPersonStopsARecoveryAndNothingMoreIsSentOrChargedItsLinkCancelled() async throws {
        let world = try await Self.world(mode: "auto")
        _ = try await Self.declinedSavedCard(in: world)
        try await Self.drain(world)
        let recovery = try Self.recovery(world)
        let linkID = try #require(try Self.steps(world).first?.linkID)
        try world.ledger.stopDeclineRecovery(id: recovery.id, reason: "paying by cheque on Friday", by: "meg")
        try await world.app.declineRecoveries().tick(recoveryID: recovery.id)
        #expect(try world.ledger.link(id: linkID)?.state == .cancelled)
        world.clock.advance(10 * 86_400)
        try await Self.drain(world)
        #expect(try Self.retries(world).isEmpty && Self.steps(world).count == 1)
        #expect(try Self.recovery(world).finishReason == "Stopped by meg: paying by cheque on Friday")
        await world.stop()
    }

    @Test func withDeclinesOffADeclineStartsNothing() async throws {
        let world = try await Self.world(mode: "off")
        _ = try await Self.declinedSavedCard(in: world)
        try await Self.drain(world)
        #expect(try world.ledger.declineRecoveries().isEmpty)
        #expect(try world.ledger.links(limit: 10).isEmpty)
        #expect(try !world.ledger.jobs().contains { $0.kind.hasPrefix("declines.") }, "off queues nothing to follow a decline")
        await world.stop()
    }

    @Test func aHardDeclineAtTheTerminalGetsALinkNeverARetryAndTheOfficeIsToldLater() async throws {
        let world = try await Self.world(mode: "auto")
        // The PAX simulator declines $20.02 with host code 14: an invalid card number.
        let declined = try await world.app.paymentService().charge(
            .init(target: .invoiceNumber("1043"), amount: Money(minorUnits: 2_002, currency: .usd), intent: .partial),
            on: try world.app.channel(named: "front-desk"), operator: "fred", idempotencyKey: try IdempotencyKey("counter-hard"))
        #expect(declined.state == .declined)
        try await Self.drain(world)
        var recovery = try Self.recovery(world)
        #expect(recovery.savedCardID == nil && recovery.explanation.hasPrefix("Hard decline"), "\(recovery.explanation)")
        #expect(try Self.steps(world).map(\.action) == [.textLink])
        // The link asks again for what was declined (a part payment), not the whole balance.
        let textID = try #require(try Self.steps(world).first?.linkID)
        #expect(try world.ledger.link(id: textID)?.amount == Money(minorUnits: 2_002, currency: .usd))

        // Two days on: the email. Two more: a task for the office, which stays open for a person.
        try await Self.wakeUp(world, recovery)
        #expect(try Self.steps(world).map(\.action) == [.textLink, .emailLink])
        recovery = try Self.recovery(world)
        try await Self.wakeUp(world, recovery)
        let task = try #require(try Self.steps(world).last)
        #expect(task.action == .officeTask && task.state == .open && task.reason.contains("call the customer"), "\(task.reason)")
        #expect(try world.ledger.openOfficeTasks().map(\.id) == [task.id])
        #expect(try Self.retries(world).isEmpty, "a hard decline never charges the card again")

        // Ada pays $25.00 at the counter with another card: the part that was declined is paid,
        // so the recovery ends at once though more is owed, and the office's task is closed.
        let paid = try await world.app.paymentService().charge(
            .init(target: .invoiceNumber("1043"), amount: Money(minorUnits: 2_500, currency: .usd), intent: .partial),
            on: try world.app.channel(named: "front-desk"), operator: "fred", idempotencyKey: try IdempotencyKey("counter-other-card"))
        #expect(paid.state == .approved)
        try await Self.drain(world)
        recovery = try Self.recovery(world)
        #expect(recovery.state == .finished && recovery.finishReason?.hasPrefix("What was declined has been paid") == true)
        #expect(try world.ledger.openOfficeTasks().isEmpty)
        await world.stop()
    }
}

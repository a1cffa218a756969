import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import HTTPServing
import JobberTestSupport
import Ledger
import Logging
import Messaging
import PosPlusCore
import TestSupport
import Testing

/// A payment link over `approvals.link_over` waits for a manager (issue 12, part 4): nothing is
/// created at the processor and no message is queued until a manager who did not ask approves
/// it; it is then sent as asked, under the key it was held with — once, however often it is
/// approved, and also after a crash between sending it and recording the approval's result.
/// Against the Jobber and Stripe simulators over real HTTP, with a real ledger file.
@Suite("Payment links held for a manager", .timeLimit(.minutes(1)))
struct LinkApprovalTests {
    typealias Service = PaymentLinkService<RecordingClock>

    static func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    /// The link service with `link_over` $1,000.00, a desk that sends approved links through it,
    /// and staff: tess (technician, who asks), max (manager) and ada (front desk).
    struct Harness {
        let jobber: SimulatedJobber
        let stripe: StripeSimulator
        let stripeServer: RunningHTTPServer
        let folder: URL
        let ledger: Ledger
        let links: Service
        let desk: ApprovalDesk<RecordingClock>

        static func start() async throws -> Harness {
            let jobber = try await SimulatedJobber.start()
            let stripe = StripeSimulator()
            let stripeServer = try await stripe.start()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-link-approval-\(UUID().uuidString)")
            let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
            let gateway = StripeGateway(
                client: StripeClient(
                    configuration: StripeConfiguration(baseURL: stripeServer.baseURL, secretKey: Secret("sk_test_t")),
                    http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))))
            var links = Service(
                ledger: ledger, gateway: gateway, invoices: jobber.invoices, rules: ChargeGuard(), businessName: "Maple & Pine")
            links.approvalThresholds = ApprovalThresholds(linkOver: usd(100_000))
            let payments = PaymentService<RecordingClock>(ledger: ledger, currency: .usd, logger: Logger(label: "t")) {
                () throws(ChargeCheckError) in throw ChargeCheckError.unavailable("no Jobber check in these tests")
            }
            let sender = links
            let desk = ApprovalDesk(ledger: ledger, service: payments, links: { sender }) { name in
                throw PosPlusAppError.noChannel("no channel \(name) in these tests")
            }
            let hash = "$2b$04$" + String(repeating: "a", count: 53)
            for (name, role) in [("tess", StaffRole.technician), ("max", .manager), ("ada", .frontDesk)] {
                try ledger.addStaff(NewStaff(name: try StaffName(name), role: role, passwordHash: hash), actor: "test")
            }
            return Harness(
                jobber: jobber, stripe: stripe, stripeServer: stripeServer, folder: folder, ledger: ledger, links: links, desk: desk)
        }

        func stop() async {
            await stripeServer.stop()
            await jobber.stop()
            try? FileManager.default.removeItem(at: folder)
        }

        /// Tess texts a link for invoice `number` under `key`; the hold, if it was held.
        func ask(_ number: String, key: String, amount: Money? = nil) async throws -> ApprovalHold? {
            do {
                _ = try await links.send(
                    invoiceNumber: number, amount: amount, to: .sms(try PhoneNumber("+15555550101")), operator: "tess",
                    idempotencyKey: try IdempotencyKey(key))
                return nil
            } catch let hold as ApprovalHold {
                return hold
            }
        }
    }

    @Test func aLinkOverTheThresholdWaitsWithNothingSentThenIsSentOnceApproved() async throws {
        let h = try await Harness.start()
        // #1043 is $1,234.56: over $1,000.00.
        let hold = try #require(try await h.ask("1043", key: "big"))
        guard case .waiting(let waiting) = hold else { throw hold }
        #expect(waiting.kind == .link && waiting.amount == Self.usd(123_456) && waiting.requestedBy == "tess")
        #expect(waiting.summary == "payment link for $1,234.56 on invoice #1043, texted to +15555550101")
        #expect(waiting.reason == "a payment link of $1,234.56 is over the $1,000.00 that needs a manager")
        #expect(hold.description.hasPrefix("Waiting for a manager: approval \(waiting.id) — payment link for $1,234.56"))
        #expect(try h.ledger.links().isEmpty && h.ledger.jobs().isEmpty && h.stripe.paymentLinkCount == 0, "nothing was sent")
        #expect(try h.ledger.heldLinks(requestedBy: "TESS").map(\.id) == [waiting.id], "the requester sees it waiting")
        #expect(try h.ledger.heldLinks(requestedBy: "tom").isEmpty)

        // Asked again under the same key: the same request, still waiting; no second one.
        guard case .waiting(let again)? = try await h.ask("1043", key: "big") else { throw hold }
        #expect(try again.id == waiting.id && h.ledger.approvals(state: nil).count == 1)

        // Neither the requester nor front desk decides it.
        await #expect(throws: LedgerError.self) { try await h.desk.approveAndRun(waiting.id, by: "tess") }
        await #expect(throws: LedgerError.self) { try await h.desk.approveAndRun(waiting.id, by: "ada") }
        await #expect(throws: LedgerError.self) { try await h.desk.approve(waiting.id, by: "max") }
        #expect(try h.ledger.approval(id: waiting.id)?.state == .waiting, "a link is not approved as a payment")

        let (approved, result) = try await h.desk.approveAndRun(waiting.id, by: "max", note: "big job, customer agreed")
        guard case .link(let link) = result else { throw hold }
        #expect(approved.state == .approved && approved.decidedBy == "max" && approved.resultLinkID == link.id)
        #expect(link.invoiceNumber == "1043" && link.amountMinor == 123_456 && link.state == .open)
        #expect(link.sentBy == "tess", "the requester's link, decided by max")
        #expect(link.reference == Service.reference(for: try IdempotencyKey("big")).rawValue, "sent under the key it was held with")
        let job = try #require(try h.ledger.jobs().first)
        #expect(job.kind == LinkDelivery.smsJob && job.payload.contains("+15555550101"), "the message goes where it was asked")

        // Approved again, and tess's retry under her key: the same link, one message, one link at Stripe.
        guard case .link(let twice) = try await h.desk.approveAndRun(waiting.id, by: "max").1 else { throw hold }
        #expect(twice.id == link.id)
        #expect(try await h.ask("1043", key: "big") == nil)
        #expect(try h.ledger.links().count == 1 && h.ledger.jobs().count == 1 && h.stripe.paymentLinkCount == 1)
        #expect(try h.ledger.heldLinks().isEmpty, "sent: no longer held")
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await h.stop()
    }

    /// The desk died after the link went out and before the approval named it: approving again
    /// finds the link its key made, and names it.
    @Test func approvingAgainAfterACrashFindsTheLinkAlreadySent() async throws {
        let h = try await Harness.start()
        guard case .waiting(let waiting)? = try await h.ask("1043", key: "crash") else { throw LedgerError.approvalNotFound(0) }
        _ = try h.ledger.decideApproval(id: waiting.id, approve: true, by: "max", note: nil)
        #expect(try await h.ask("1043", key: "crash") == nil, "the first run sent it, then the process died")
        #expect(try h.ledger.approval(id: waiting.id)?.resultLinkID == nil)

        let (record, result) = try await h.desk.approveAndRun(waiting.id, by: "max")
        guard case .link(let link) = result else { throw LedgerError.approvalNotFound(0) }
        #expect(record.resultLinkID == link.id)
        #expect(try h.ledger.links().count == 1 && h.ledger.jobs().count == 1 && h.stripe.paymentLinkCount == 1)
        await h.stop()
    }

    @Test func aDeniedLinkIsRecordedAndNeverSent() async throws {
        let h = try await Harness.start()
        guard case .waiting(let waiting)? = try await h.ask("1043", key: "no") else { throw LedgerError.approvalNotFound(0) }
        let denied = try h.desk.deny(waiting.id, by: "max", note: "call the office first")
        #expect(denied.state == .denied && denied.decidedBy == "max" && denied.note == "call the office first")
        guard case .denied(let record)? = try await h.ask("1043", key: "no") else { throw LedgerError.approvalNotFound(0) }
        #expect(record.id == waiting.id)
        await #expect(throws: LedgerError.self) { try await h.desk.approveAndRun(waiting.id, by: "max") }
        #expect(try h.ledger.heldLinks(requestedBy: "tess").map(\.state) == [.denied], "tess sees the answer")
        #expect(try h.ledger.links().isEmpty && h.stripe.paymentLinkCount == 0)
        #expect(try h.ledger.auditEvents().contains { $0.kind == "approval.deny" && $0.actor == "max" })
        await h.stop()
    }

    /// At or under the threshold a link goes straight out; a part under it of an invoice over it too.
    @Test func aLinkUnderTheThresholdIsSentAtOnce() async throws {
        let h = try await Harness.start()
        #expect(try await h.ask("1044", key: "small") == nil)
        #expect(try await h.ask("1043", key: "part", amount: Self.usd(100_000)) == nil, "exactly $1,000.00 is not over")
        #expect(try h.ledger.links().count == 2 && h.ledger.approvals(state: nil).isEmpty)
        await h.stop()
    }
}

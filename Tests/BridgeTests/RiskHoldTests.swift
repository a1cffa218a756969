import Bridge
import Foundation
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import PosPlusCore
import Receivables
import Testing

/// Risk holds end to end (issue 13, part 4), on the PAX simulator over TCP, the Jobber
/// simulator and a real ledger file, in each `risk.mode`: off charges as before; suggest holds
/// whatever a signal flags until a manager approves, and the approved charge runs once; auto
/// holds only at `risk.hold_at`, and records the signals of what it lets through.
///
/// The standard seed's clients have no payment in a fresh ledger, so each is "new": Ada's
/// #1043 ($1,234.56) is over the $500.00 new-client limit (40 points), her #1044 ($89.99) is not.
@Suite("Risk holds on the one payment path", .timeLimit(.minutes(1)))
struct RiskHoldTests {
    typealias Harness = PaymentServiceTests.Harness

    static func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    /// The harness's service in `mode`, a desk that runs approved charges on its terminal, and
    /// staff: ada (front desk, who asks) and max (manager).
    struct World {
        let h: Harness
        let service: PaymentServiceTests.Service
        let desk: ApprovalDesk<RecordingClock>

        init(_ h: Harness, mode: AutomationMode, holdAt: Int = 50) throws {
            self.h = h
            var service = h.service
            service.risk.mode = mode
            service.risk.holdAt = holdAt
            self.service = service
            let channel = h.channel
            desk = ApprovalDesk(ledger: h.ledger, service: service) { _ in channel }
            let hash = "$2b$04$" + String(repeating: "a", count: 53)
            for (name, role) in [("max", StaffRole.manager), ("ada", .frontDesk)] {
                try h.ledger.addStaff(NewStaff(name: try StaffName(name), role: role, passwordHash: hash), actor: "test")
            }
        }

        /// Ada charges `order` under `key`: the payment, or the approval it waits in.
        func charge(_ order: PaymentServiceTests.Service.ChargeOrder, key: String) async throws -> Result<PaymentRecord, ApprovalHold> {
            do {
                return .success(try await service.charge(order, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey(key)))
            } catch let hold as ApprovalHold {
                return .failure(hold)
            }
        }

        /// The `risk.score` events' details, in order.
        func riskEvents() throws -> [String] { try h.ledger.auditEvents().filter { $0.kind == "risk.score" }.map(\.detail) }
    }

    @Test func offScoresNothingAndChargesAsBefore() async throws {
        let h = try await Harness.start()
        let w = try World(h, mode: .off)
        guard case .success(let payment) = try await w.charge(.init(target: .invoiceNumber("1043")), key: "big") else {
            throw LedgerError.invalidRequest("held with risk off")
        }
        #expect(payment.state == .approved && payment.capturedMinor == 123_456)
        #expect(try w.riskEvents().isEmpty && h.ledger.approvals().isEmpty)
        await h.stop()
    }

    @Test func suggestHoldsAFlaggedChargeUntilAManagerApprovesThenRunsItOnce() async throws {
        let h = try await Harness.start()
        let w = try World(h, mode: .suggest)
        guard case .failure(.waiting(let held)) = try await w.charge(.init(target: .invoiceNumber("1043")), key: "big") else {
            throw LedgerError.invalidRequest("not held")
        }
        #expect(held.kind == .charge && held.amount == Self.usd(123_456) && held.invoiceNumber == "1043" && held.requestedBy == "ada")
        #expect(held.summary == "sale of $1,234.56 on invoice #1043, on front-desk")
        #expect(
            held.reason
                == "risk score 40: new client: no earlier payment on record, and $1,234.56 is over the $500.00 new-client limit")
        #expect(try h.ledger.payment(idempotencyKey: try IdempotencyKey("big")) == nil, "no payment is begun while it waits")
        #expect(h.terminal.terminal.log.isEmpty, "the terminal was not asked")
        #expect(ApprovalHold.waiting(held).description.contains("Why: risk score 40: new client"))

        // Asked again: the same approval, still waiting, nothing sent.
        guard case .failure(.waiting(let again)) = try await w.charge(.init(target: .invoiceNumber("1043")), key: "big") else {
            throw LedgerError.invalidRequest("not held again")
        }
        #expect(again.id == held.id && h.terminal.terminal.log.isEmpty)

        let (approved, payment) = try await w.desk.approve(held.id, by: "max", note: "known customer")
        #expect(approved.state == .approved && approved.resultPaymentID == payment.id)
        #expect(payment.state == .approved && payment.capturedMinor == 123_456 && payment.operator == "ada")
        // Approving again, and Ada's retry, find the same payment: the terminal charged it once.
        #expect(try await w.desk.approve(held.id, by: "max").1.id == payment.id)
        guard case .success(let retried) = try await w.charge(.init(target: .invoiceNumber("1043")), key: "big") else {
            throw LedgerError.invalidRequest("held after approval")
        }
        #expect(retried.id == payment.id && h.terminal.terminal.log.count == 1)

        // A charge with no signal is not held in suggest mode: only what the scorer flags waits.
        guard case .success(let small) = try await w.charge(.init(target: .invoiceNumber("1044")), key: "small") else {
            throw LedgerError.invalidRequest("an unflagged charge was held")
        }
        #expect(small.state == .approved && h.terminal.terminal.log.count == 2)

        // Held twice, the approved run (not held again), the small charge; the retries of a
        // payment already made are not scored again.
        let events = try w.riskEvents()
        #expect(events.count == 4, "\(events)")
        #expect(events[0].contains("\"outcome\":\"held\"") && events[0].contains("\"signals\":\"new_client\""))
        #expect(events[0].contains("\"score\":40") && events[0].contains("\"mode\":\"suggest\""))
        #expect(events[2].contains("\"outcome\":\"approved earlier\"") && events[2].contains("\"approval\":\(held.id)"))
        #expect(events[3].contains("\"outcome\":\"passed\"") && events[3].contains("\"score\":0"))
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await h.stop()
    }

    @Test func autoProceedsBelowTheLevelAndHoldsAtIt() async throws {
        let h = try await Harness.start()
        let w = try World(h, mode: .auto)
        // A new client over the limit is 40 points: under 50, it goes ahead, and the audit says why it was scored.
        guard case .success(let sale) = try await w.charge(.init(target: .invoiceNumber("1043")), key: "under") else {
            throw LedgerError.invalidRequest("held below the level")
        }
        #expect(sale.state == .approved && h.terminal.terminal.log.count == 1)
        let passed = try #require(try w.riskEvents().first)
        #expect(
            passed.contains("\"outcome\":\"passed\"") && passed.contains("\"signals\":\"new_client\"") && passed.contains("\"score\":40"))

        // Grace is new too; $1,000.00 of her #1050 keyed by hand adds the keyed signal: 70 points.
        let keyed = PaymentServiceTests.Service.ChargeOrder(
            target: .invoiceNumber("1050"), amount: Self.usd(100_000), intent: .partial, operation: .keyedSale)
        guard case .failure(.waiting(let held)) = try await w.charge(keyed, key: "keyed") else {
            throw LedgerError.invalidRequest("not held at the level")
        }
        #expect(held.kind == .keyedSale && held.amount == Self.usd(100_000))
        #expect(held.reason.hasPrefix("risk score 70: new client: ") && held.reason.contains("; keyed entry: $1,000.00 typed in by hand"))
        #expect(try h.ledger.payment(idempotencyKey: try IdempotencyKey("keyed")) == nil && h.terminal.terminal.log.count == 1)

        let (_, payment) = try await w.desk.approve(held.id, by: "max")
        #expect(payment.state == .approved && payment.operation == .keyedSale && payment.capturedMinor == 100_000)
        #expect(h.terminal.terminal.log.count == 2, "run once, on approval")
        await h.stop()
    }

    /// The card the simulator reads is declined on Grace's invoice ($20.02 is a decline there);
    /// the same card, saved for Ada, is then held in auto at 50 before the terminal is asked.
    @Test func aSavedCardDeclinedOnAnotherClientIsHeldInAuto() async throws {
        let h = try await Harness.start()
        let w = try World(h, mode: .auto)
        guard
            case .success(let declined) = try await w.charge(
                .init(target: .invoiceNumber("1050"), amount: Self.usd(2_002), intent: .partial), key: "grace")
        else { throw LedgerError.invalidRequest("held") }
        #expect(declined.state == .declined && declined.cardLast4 != nil, "the decline keeps the masked card: \(declined)")
        let (_, card) = try await w.service.saveCard(
            clientID: Seed.IDs.ada.value,
            on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("save"))
        let saved = try #require(card)
        #expect(saved.last4 == declined.cardLast4 && saved.brand.uppercased() == declined.cardBrand?.uppercased())
        let asked = h.terminal.terminal.log.count

        let order = PaymentServiceTests.Service.ChargeOrder(target: .invoiceNumber("1044"), operation: .tokenSale, savedCardID: saved.id)
        guard case .failure(.waiting(let held)) = try await w.charge(order, key: "on-file") else {
            throw LedgerError.invalidRequest("not held")
        }
        #expect(held.kind == .charge)
        #expect(
            held.reason
                == "risk score 50: card declined on another client: \(saved.brand.uppercased()) •••• \(saved.last4) was declined for "
                + "another client within 3 days (latest: payment \(declined.id))")
        #expect(h.terminal.terminal.log.count == asked, "the terminal was not asked")
        let (_, paid) = try await w.desk.approve(held.id, by: "max")
        #expect(paid.state == .approved && paid.operation == .tokenSale && h.terminal.terminal.log.count == asked + 1)
        await h.stop()
    }

    /// A quote's deposit at the counter is a charge too: held with nothing begun, taken once approved.
    @Test func aFlaggedDepositWaitsAndIsTakenOnceApproved() async throws {
        let h = try await Harness.start()
        var w = try World(h, mode: .suggest)
        var service = w.service
        service.risk.rules.newClientLimitMinor = 10_000  // $100.00: Ada's $300.00 deposit on quote 78 is over it
        w = World(h: h, service: service, desk: ApprovalDesk(ledger: h.ledger, service: service) { [channel = h.channel] _ in channel })
        let quote = Seed.IDs.quote(78).value
        func deposit() async throws -> PaymentRecord {
            try await service.takeDeposit(
                quoteID: quote, amount: nil, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("dep"))
        }
        let hold = await #expect(throws: ApprovalHold.self) { try await deposit() }
        guard case .waiting(let held)? = hold else { throw LedgerError.invalidRequest("not held") }
        #expect(held.kind == .charge && held.summary == "deposit of $300.00 on quote #78, on front-desk")
        #expect(held.reason.hasPrefix("risk score 40: new client: no earlier payment on record, and $300.00 is over the $100.00"))
        #expect(try h.ledger.payments().isEmpty && h.terminal.terminal.log.isEmpty)
        let (_, taken) = try await w.desk.approve(held.id, by: "max")
        #expect(taken.operation == .deposit && taken.state == .approved && taken.capturedMinor == 30_000)
        #expect(try await deposit().id == taken.id && h.terminal.terminal.log.count == 1)
        await h.stop()
    }

    @Test func aKeyedThresholdAndRiskSignalsWaitAsOneApprovalWithBothReasons() async throws {
        let h = try await Harness.start()
        var w = try World(h, mode: .suggest)
        var service = w.service
        service.approvalThresholds = ApprovalThresholds(keyedOver: Self.usd(50_000))
        w = World(h: h, service: service, desk: ApprovalDesk(ledger: h.ledger, service: service) { [channel = h.channel] _ in channel })
        guard case .failure(.waiting(let held)) = try await w.charge(.init(target: .invoiceNumber("1043"), operation: .keyedSale), key: "k")
        else { throw LedgerError.invalidRequest("not held") }
        #expect(held.kind == .keyedSale)
        #expect(held.reason.hasPrefix("a keyed sale of $1,234.56 is over the $500.00 that needs a manager; and risk score 70: new client"))
        #expect(try h.ledger.approvals().count == 1)
        await h.stop()
    }
}

extension RiskHoldTests.World {
    init(h: PaymentServiceTests.Harness, service: PaymentServiceTests.Service, desk: ApprovalDesk<RecordingClock>) {
        self.h = h
        self.service = service
        self.desk = desk
    }
}

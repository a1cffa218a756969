import Bridge
import Foundation
import Gateway
import HTTPClient
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PosPlusCore
import Testing

/// A bank account the client saved at Stripe with their debit mandate, debited off-session on
/// the one payment path (`GatewayChannel`, `.achDebit`): pending until the bank's word arrives
/// as a signed webhook on a real port, settled with its Jobber note once, or returned. The
/// Stripe simulator holds the mandate and refuses a debit it does not allow.
@Suite("Payment service: bank debits through the gateway", .timeLimit(.minutes(1)))
struct GatewayBankDebitTests {
    typealias Harness = StripeWebhookInboxTests.Harness

    static let acceptance = MandateAcceptance(
        ipAddress: "203.0.113.7", userAgent: "posplus front desk", acceptedAt: Date(timeIntervalSince1970: 1_795_000_000))

    /// The Stripe side (simulator, webhook endpoint, inbox) and the payment service on the same
    /// ledger, checking invoices against a simulated Jobber.
    struct World {
        let h: Harness
        let jobber: SimulatedJobber
        let service: PaymentServiceTests.Service
        var channel: GatewayChannel { GatewayChannel(name: "stripe", gateway: h.gateway) }
        var cards: GatewayCards { GatewayCards(ledger: h.ledger, gateway: h.gateway) }

        static func start() async throws -> World {
            let h = try await Harness.start()
            let jobber = try await SimulatedJobber.start()
            let service = PaymentService(
                ledger: h.ledger, check: ChargeCheck(invoices: jobber.invoices, rules: ChargeGuard()), logger: Logger(label: "t"))
            return World(h: h, jobber: jobber, service: service)
        }

        /// What Stripe's hosted page leaves behind: a customer, the account and its mandate.
        func savedAccount(_ number: String) async throws -> StoredMethod {
            let customer = try await h.gateway.createCustomer(
                GatewayCustomer(name: "Ada Lovelace", email: nil, jobberClientID: Seed.IDs.ada.value), idempotencyKey: "cus-\(number)")
            let reply = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
                HTTPRequest(
                    .post, h.stripeServer.baseURL + "/v1/payment_methods",
                    headers: [("Authorization", "Bearer sk_test_t"), ("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array(
                        "type=us_bank_account&us_bank_account[routing_number]=110000000&us_bank_account[account_number]=\(number)".utf8)))
            let method = try #require(try JSONValue.parse(reply.body)["id"]?.string)
            let saved = try await h.gateway.saveMethod(
                customer: customer, paymentMethod: method, acceptance: GatewayBankDebitTests.acceptance, idempotencyKey: "save-\(number)")
            let mandate = try #require(saved.mandate, "a confirmed bank SetupIntent leaves a mandate")
            return StoredMethod(customer: customer, paymentMethod: saved.id, mandate: mandate)
        }

        func debit(_ account: Int64, key: String) async throws -> PaymentRecord {
            try await service.charge(
                .init(target: .invoiceNumber("1044"), operation: .achDebit, savedCardID: account), on: channel, operator: "ada",
                idempotencyKey: try IdempotencyKey(key))
        }

        func writeBacks() throws -> [OutboxJobRecord] { try h.ledger.jobs().filter { $0.kind == JobberWriteBackJob.kind } }

        func stop() async {
            await jobber.stop()
            await h.stop()
        }
    }

    @Test func aSavedAccountIsDebitedUnderItsMandateAndSettlesWithOneNote() async throws {
        let w = try await World.start()
        let account = try await w.cards.keep(try await w.savedAccount("000123456789"), forClient: Seed.IDs.ada.value, actor: "ada")
        #expect(account.kind == .bankAccount && account.expiryMonth == nil && account.last4 == "6789")

        let debit = try await w.debit(account.id, key: "ach-1")
        #expect(debit.state == .pending && debit.channel == "stripe" && debit.processorReference?.hasPrefix("pi_") == true)
        #expect(try w.writeBacks().isEmpty, "no note in Jobber before the bank has said yes")
        let intent = try #require(debit.processorReference)

        // The same key again is the same debit, not a second one.
        #expect(try await w.debit(account.id, key: "ach-1").id == debit.id)

        _ = try await w.h.control("/_sim/payment_intents/\(intent)/settle", "")
        try await w.h.processed { try w.h.ledger.payment(id: debit.id)?.state == .settled }
        #expect(try w.writeBacks().count == 1, "the Jobber note waited for the money, and is written once")
        #expect(try w.h.ledger.verifyAuditChain().isIntact)
        await w.stop()
    }

    @Test func aDebitTheBankRefusesIsReturnedAndLeavesNoNote() async throws {
        let w = try await World.start()
        let account = try await w.cards.keep(try await w.savedAccount("000222222227"), forClient: Seed.IDs.ada.value, actor: "ada")
        let debit = try await w.debit(account.id, key: "ach-nsf")
        #expect(debit.state == .pending)
        _ = try await w.h.control("/_sim/payment_intents/\(try #require(debit.processorReference))/settle", "")
        try await w.h.processed { try w.h.ledger.payment(id: debit.id)?.state == .returned }
        #expect(try w.h.ledger.payment(id: debit.id)?.message?.contains("insufficient_funds") == true)
        #expect(try w.writeBacks().isEmpty)
        await w.stop()
    }

    @Test func aRevokedMandateIsRefusedAndNothingMoves() async throws {
        let w = try await World.start()
        let stored = try await w.savedAccount("000123456789")
        let account = try await w.cards.keep(stored, forClient: Seed.IDs.ada.value, actor: "ada")
        _ = try await w.h.control("/_sim/mandates/\(try #require(stored.mandate))/revoke", "")

        let refusal = await #expect(throws: PaymentChannelError.self) { try await w.debit(account.id, key: "ach-revoked") }
        #expect("\(refusal.map { "\($0)" } ?? "")".contains("no longer active"), "Stripe's reason reaches staff")
        let recorded = try #require(try w.h.ledger.payment(idempotencyKey: try IdempotencyKey("ach-revoked")))
        #expect(recorded.capturedMinor == 0 && ![.pending, .approved, .settled].contains(recorded.state), "\(recorded.state)")
        let atStripe = try await w.h.gateway.payments(since: Date(timeIntervalSince1970: 0))
        #expect(atStripe.allSatisfy { $0.status != .processing && $0.status != .succeeded }, "Stripe debits nothing: \(atStripe)")
        #expect(try w.writeBacks().isEmpty)

        // Keeping it again is refused: posplus never files an account it may not debit.
        await #expect(throws: LedgerError.self) {
            try await w.cards.keep(stored, forClient: Seed.IDs.ada.value, actor: "ada")
        }
        await w.stop()
    }

    @Test func keepRefusesAMandateForAnotherAccountOrNone() async throws {
        let w = try await World.start()
        let first = try await w.savedAccount("000123456789")
        let second = try await w.savedAccount("000111111116")
        var crossed = second
        crossed.mandate = first.mandate
        await #expect(throws: LedgerError.self) { try await w.cards.keep(crossed, forClient: Seed.IDs.ada.value, actor: "ada") }
        var bare = second
        bare.mandate = nil
        await #expect(throws: LedgerError.self) { try await w.cards.keep(bare, forClient: Seed.IDs.ada.value, actor: "ada") }
        #expect(try w.h.ledger.cards(clientID: Seed.IDs.ada.value).isEmpty)
        await w.stop()
    }

    /// Stripe cancels a processing bank debit only "rarely", and the ledger's debit goes from
    /// pending only to settled or returned: a void is refused with what to do instead.
    @Test func aPendingDebitCannotBeVoidedAndStillSettles() async throws {
        let w = try await World.start()
        let account = try await w.cards.keep(try await w.savedAccount("000123456789"), forClient: Seed.IDs.ada.value, actor: "ada")
        let debit = try await w.debit(account.id, key: "ach-void")
        let refusal = await #expect(throws: LedgerError.self) {
            try await w.service.reverse(
                paymentID: debit.id, .void, on: w.channel, operator: "ada", idempotencyKey: try IdempotencyKey("ach-void-1"))
        }
        #expect("\(refusal.map { "\($0)" } ?? "")".contains("not settled yet"))
        let intent = try #require(debit.processorReference)
        #expect(try await w.h.gateway.payment(intent).status == .processing, "nothing was sent to Stripe")
        _ = try await w.h.control("/_sim/payment_intents/\(intent)/settle", "")
        try await w.h.processed { try w.h.ledger.payment(id: debit.id)?.state == .settled }
        #expect(try w.writeBacks().count == 1)
        await w.stop()
    }

    @Test func removingASavedAccountDetachesItAtStripe() async throws {
        let w = try await World.start()
        let stored = try await w.savedAccount("000123456789")
        let account = try await w.cards.keep(stored, forClient: Seed.IDs.ada.value, actor: "ada")
        #expect(try await w.h.gateway.savedMethods(customer: stored.customer).map(\.id) == [stored.paymentMethod])
        try await w.cards.remove(account, actor: "ada")
        #expect(try await w.h.gateway.savedMethods(customer: stored.customer).isEmpty)
        #expect(try w.h.ledger.cards(clientID: Seed.IDs.ada.value).isEmpty)
        await #expect(throws: (any Error).self) { try await w.debit(account.id, key: "ach-removed") }
        await w.stop()
    }
}

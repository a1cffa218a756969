import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import HTTPServing
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PosPlusCore
import Receivables
import TestSupport

/// Payment plans on the simulators: Jobber (the invoices), Stripe (saved cards charged
/// off-session, links), and a ledger in a SQLite file whose clock the test moves, so an
/// instalment's job falls due when the test says.
struct PlanWorld {
    let jobber: SimulatedJobber
    let stripe: StripeSimulator
    let stripeServer: RunningHTTPServer
    let gateway: StripeGateway<ContinuousClock>
    let today: SteppingDate
    let ledger: Ledger
    let payments: PaymentService<RecordingClock>
    let plans: PlanService<RecordingClock>
    let folder: URL

    static let newYork = TimeZone(identifier: "America/New_York")!
    /// Invoice #1043: Ada's, past due, $1,234.56 owed.
    static let invoice = "1043"
    static let invoiceID = Seed.IDs.invoice(1043).value

    /// A client who has paid 9 of 10 invoices on time: the standing the plan rules see.
    static let goodPayer = PlanEligibility.Standing(
        onTimeShare: try! Proportion(9, of: 10), medianDaysToPay: 6, openDisputes: 0, invoiceCount: 10)

    static func start(_ configure: (inout PlanSettings) -> Void) async throws -> PlanWorld {
        let jobber = try await SimulatedJobber.start()
        let stripe = StripeSimulator()
        let stripeServer = try await stripe.start()
        let gateway = StripeGateway(
            client: StripeClient(
                configuration: StripeConfiguration(baseURL: stripeServer.baseURL, secretKey: Secret("sk_test_t")),
                http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-plans-\(UUID().uuidString)")
        let today = SteppingDate(SimulatedJobber.epoch)
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests) { today.date }
        let payments = PaymentService(
            ledger: ledger, check: ChargeCheck(invoices: jobber.invoices, rules: ChargeGuard()), logger: Logger(label: "t"))
        var settings = PlanSettings()
        configure(&settings)
        let invoices = jobber.invoices
        let channel = GatewayChannel(name: "stripe", gateway: gateway)
        let plans = PlanService(
            payments: payments, settings: settings, timeZone: newYork, standing: { _ in goodPayer },
            links: {
                PaymentLinkService(ledger: ledger, gateway: gateway, invoices: invoices, rules: ChargeGuard(), businessName: "Maple & Pine")
            }
        ) { _ in channel }
        let hash = "$2b$04$" + String(repeating: "a", count: 53)
        for (name, role) in [("max", StaffRole.manager), ("ada", .frontDesk)] {
            try ledger.addStaff(NewStaff(name: try StaffName(name), role: role, passwordHash: hash), actor: "test")
        }
        return PlanWorld(
            jobber: jobber, stripe: stripe, stripeServer: stripeServer, gateway: gateway, today: today, ledger: ledger,
            payments: payments, plans: plans, folder: folder)
    }

    /// A card Ada saved at Stripe, kept on file (as `GatewayChannelTests` makes one).
    func savedCard(number: String = "4242424242424242") async throws -> Int64 {
        let customer = try await gateway.createCustomer(
            GatewayCustomer(name: "Ada Lovelace", email: nil, jobberClientID: Seed.IDs.ada.value), idempotencyKey: "cus-\(number)")
        let reply = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, stripeServer.baseURL + "/v1/payment_methods",
                headers: [("Authorization", "Bearer sk_test_t"), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("type=card&card[number]=\(number)".utf8)))
        guard let method = try JSONValue.parse(reply.body)["id"]?.string else { throw PlanWorldError.noPaymentMethod }
        return try await GatewayCards(ledger: ledger, gateway: gateway).keep(
            StoredMethod(customer: customer, paymentMethod: method), forClient: Seed.IDs.ada.value, actor: "test"
        ).id
    }

    /// The outbox worker serve would run: plan instalments, and — with `notes` — Jobber notes.
    func worker(notes: Bool = false) -> OutboxWorker {
        let plans = plans
        var handlers: [String: OutboxWorker.Handler] = [PlanInstalmentJob.kind: PlanInstalmentJob.handler { plans }]
        if notes { handlers[JobberWriteBackJob.kind] = JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: jobber.graphQL)) }
        return OutboxWorker(ledger: ledger, handlers: handlers, logger: Logger(label: "t"))
    }

    /// Where managers decide, able to schedule an approved plan.
    func desk() -> ApprovalDesk<RecordingClock> {
        let plans = plans
        var desk = ApprovalDesk(ledger: ledger, service: payments) { _ in throw PlanWorldError.noPaymentMethod }
        desk.plans = { plans }
        return desk
    }

    /// Moves the ledger's clock to when instalment `number` of `plan` falls due.
    func moveToDue(of plan: PaymentPlanRecord, _ number: Int) throws {
        guard let due = try ledger.instalments(planID: plan.id).first(where: { $0.number == number })?.dueAt else { return }
        today.advance(due.timeIntervalSince(today.date))
    }

    func charges() throws -> [PaymentRecord] { try ledger.payments(invoiceID: Self.invoiceID).filter { $0.operation == .tokenSale } }

    func planJobs() throws -> [OutboxJobRecord] { try ledger.jobs().filter { $0.kind == PlanInstalmentJob.kind } }

    func stop() async {
        await jobber.stop()
        await stripeServer.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    enum PlanWorldError: Error { case noPaymentMethod }
}

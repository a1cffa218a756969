import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import HTTPServing
import Logging
import PosPlusCore
import Testing

/// The Stripe simulator on a loopback port and a gateway talking to it, with every request
/// recorded for the contract check.
struct SimulatedStripe {
    let simulator: StripeSimulator
    let server: RunningHTTPServer
    let recorder: RequestLog

    static func start(configure: (inout StripeSimulator.Options) -> Void = { _ in }) async throws -> SimulatedStripe {
        var options = StripeSimulator.Options()
        configure(&options)
        let simulator = StripeSimulator(options: options, logger: Logger(label: "test.sim.stripe"))
        return SimulatedStripe(simulator: simulator, server: try await simulator.start(), recorder: RequestLog())
    }

    func gateway(timeout: Duration = .seconds(10), pageSize: Int = 100) -> StripeGateway<ContinuousClock> {
        let client = StripeClient(
            configuration: StripeConfiguration(baseURL: server.baseURL, secretKey: Secret("sk_test_posplus"), timeout: timeout),
            http: HTTPClient(
                clock: ContinuousClock(),
                retry: RetrySchedule(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(50), maximumAttempts: 3),
                logger: Logger(label: "test.stripe")),
            recorder: recorder)
        var gateway = StripeGateway(client: client)
        gateway.pageSize = pageSize
        return gateway
    }

    /// A POST to the simulator's test controls (or to create what a hosted field would).
    @discardableResult
    func control(_ path: String, _ form: String, key: String = "sk_test_posplus") async throws -> JSONValue {
        let reply = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, server.baseURL + path,
                headers: [("Authorization", "Bearer \(key)"), ("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8)
            ))
        return try JSONValue.parse(reply.body)
    }

    /// What Stripe's hosted field would hand back for a test card or bank account.
    func card(_ number: String) async throws -> String {
        try await control("/v1/payment_methods", "type=card&card[number]=\(number)")["id"]?.string ?? ""
    }

    func bankAccount(_ number: String) async throws -> String {
        try await control(
            "/v1/payment_methods",
            "type=us_bank_account&us_bank_account[routing_number]=110000000&us_bank_account[account_number]=\(number)")["id"]?
            .string ?? ""
    }

    /// A bank account the customer saved for later debits, as Stripe's hosted page does it: a
    /// customer, the account, and a SetupIntent confirmed with their acceptance (the mandate).
    func savedBankAccount(_ number: String, acceptance: MandateAcceptance) async throws -> (
        customer: String, method: String, mandate: String
    ) {
        let gateway = gateway()
        let customer = try await gateway.createCustomer(
            GatewayCustomer(name: "Ada", email: nil, jobberClientID: "c-\(number)"), idempotencyKey: "cus-\(number)-\(UUID())")
        let saved = try await gateway.saveMethod(
            customer: customer, paymentMethod: try await bankAccount(number), acceptance: acceptance, idempotencyKey: "save-\(UUID())")
        return (customer, saved.id, try #require(saved.mandate))
    }

    func stop() async {
        await server.stop()
        recorder.save()
    }
}

import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import PosPlusCore
import TestSupport
import Testing

/// Every request the Stripe client sends, checked against the parameter types of the `stripe`
/// package from PyPI (16.x, generated from Stripe's OpenAPI spec) by
/// `scripts/stripe-contract-check.py`: a misspelt or invented parameter fails here, before it
/// could fail against Stripe.
@Suite("Stripe requests match the stripe package's parameter types", .timeLimit(.minutes(1)))
struct StripeContractTests {
    func usd(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .usd) }

    /// Runs the checker over `requests`; returns its exit status and report.
    static func check(_ requests: [StripeRecordedRequest]) async throws -> (status: Int32, report: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stripe-contract-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(RequestLog.jsonLines(requests).utf8).write(to: file)
        return try await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", LocalStripe.packageRoot.appendingPathComponent("scripts/stripe-contract-check.py").path, file.path,
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, report)
        }
    }

    @Test func everyOperationTheGatewayOffersSendsOnlyKnownParameters() async throws {
        let stripe = try await SimulatedStripe.start()
        let gateway = stripe.gateway(pageSize: 2)
        let card = try await stripe.card("4242424242424242")
        let customer = try await gateway.createCustomer(
            GatewayCustomer(name: "Ada", email: "ada@example.com", jobberClientID: "c1"), idempotencyKey: "k1")
        let saved = try await gateway.saveMethod(customer: customer, paymentMethod: card, acceptance: nil, idempotencyKey: "k2")
        _ = try await gateway.savedMethods(customer: customer)
        _ = await gateway.charge(
            GatewayChargeRequest(
                amount: usd(100), source: .savedCard(customer: customer, paymentMethod: saved.id), description: "d", metadata: ["a": "b"]),
            idempotencyKey: "k3")
        guard
            case .approved(let taken) = await gateway.charge(
                GatewayChargeRequest(amount: usd(900), source: .hostedCard(paymentMethod: card)), idempotencyKey: "k4")
        else {
            Issue.record("no charge")
            return
        }
        _ = await gateway.refund(taken.id, amount: usd(100), idempotencyKey: "k6")
        let bank = try await stripe.bankAccount("000123456789")
        let account = try await gateway.saveMethod(
            customer: customer, paymentMethod: bank, acceptance: StripeACHTests.acceptance, idempotencyKey: "k7")
        let mandate = try #require(account.mandate)
        _ = try await gateway.mandate(mandate)
        if case .pending(let debit) = await gateway.charge(
            GatewayChargeRequest(amount: usd(2_500), source: .bankAccount(customer: customer, paymentMethod: bank, mandate: mandate)),
            idempotencyKey: "k9")
        {
            _ = await gateway.cancel(debit.id, idempotencyKey: "k8")
        }
        let link = try await gateway.createLink(
            PaymentLinkRequest(
                amount: usd(4_600), description: "Invoice #1042", invoiceID: "i", invoiceNumber: "1042", reference: "r",
                allowBankDebit: true),
            idempotencyKey: "k10")
        try await gateway.deactivateLink(link.id, idempotencyKey: "k11")
        _ = try await gateway.payments(since: Date(timeIntervalSince1970: 0))
        try await gateway.removeSavedMethod(saved.id)
        await stripe.stop()

        let requests = stripe.recorder.all
        let paths = Set(
            requests.map {
                "\($0.method) \($0.path.replacingOccurrences(of: #"/[a-z]+_sim\d+"#, with: "/{id}", options: .regularExpression))"
            })
        #expect(paths.count >= 15, "the tour should touch every endpoint the gateway uses: \(paths.sorted())")
        let (status, report) = try await Self.check(requests)
        #expect(status == 0, "\(report)")
    }

    @Test func anInventedParameterIsCaught() async throws {
        var form = StripeForm()
        form.add("amount", Int64(100))
        form.add("currency", "usd")
        form.add("payment_method_types[]", "card")  // valid before 2026-10-28, not now
        form.add("metadata[invoice]", "1042")
        form.add("captur_method", "manual")
        let (status, report) = try await Self.check([StripeRecordedRequest(method: "POST", path: "/v1/payment_intents", form: form)])
        #expect(status == 1)
        #expect(report.contains("captur_method: unknown parameter"))
        #expect(report.contains("payment_method_types: unknown parameter"))
        #expect(!report.contains("metadata"))
    }
}

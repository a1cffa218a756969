// The Stripe client's speed against the official Python SDK: the same 500 PaymentIntent
// create+confirm calls, one after another, against the same server on 127.0.0.1, in one run.
// The server is posplus's Stripe simulator, which answers at once: against localstripe (about
// 40 ms a call inside the Python fake) the ratio measured localstripe, not the clients.
// Goal: Swift time / Python time ≤ 1.0 (reported ×100).
//
// Needs the stripe SDK from PyPI (`make deps`). Run: make bench
import Benchmark
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import Logging
import PosPlusCore

let calls = 500
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Stripe PaymentIntent create+confirm: Swift client vs Python SDK",
        configuration: .init(
            metrics: [
                .custom("swift 500 calls (ms)", useScalingFactor: false), .custom("python 500 calls (ms)", useScalingFactor: false),
                .custom("swift/python ratio (×100)", useScalingFactor: false),
            ],
            maxDuration: .seconds(120), maxIterations: 3)
    ) { benchmark async throws in
        let simulator = StripeSimulator(logger: Logger(label: "bench.sim"))
        let server = try await simulator.start()
        let swift = try await runSwift(baseURL: server.baseURL)
        let python = try await runPython(baseURL: server.baseURL)
        await server.stop()
        benchmark.measurement(.custom("swift 500 calls (ms)", useScalingFactor: false), swift / 1000)
        benchmark.measurement(.custom("python 500 calls (ms)", useScalingFactor: false), python / 1000)
        benchmark.measurement(.custom("swift/python ratio (×100)", useScalingFactor: false), swift * 100 / max(python, 1))
    }
}

/// Microseconds for `calls` create+confirm requests through ``StripeClient``.
func runSwift(baseURL: String) async throws -> Int {
    let client = StripeClient(
        configuration: StripeConfiguration(baseURL: baseURL, secretKey: Secret("sk_test_bench")),
        http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "bench")))
    var card = StripeForm()
    for (key, value) in [
        ("type", "card"), ("card[number]", "4242424242424242"), ("card[exp_month]", "12"), ("card[exp_year]", "2031"), ("card[cvc]", "123"),
    ] {
        card.add(key, value)
    }
    guard case .ok(let method) = await client.post("/v1/payment_methods", card, idempotencyKey: "bench-card-\(UUID())") else {
        print("the Swift side could not create its test card")
        return 0
    }
    let start = ContinuousClock.now
    for call in 0..<calls {
        var form = StripeForm()
        form.add("amount", Int64(1_000 + call))
        form.add("currency", "usd")
        form.add("payment_method", method["id"]?.string)
        form.add("confirm", true)
        _ = await client.post("/v1/payment_intents", form, idempotencyKey: "swift-\(call)-\(UUID())")
    }
    return Int((ContinuousClock.now - start).wholeMicroseconds)
}

/// Microseconds the Python SDK reports for the same calls. The wait blocks a thread of its own,
/// never one the in-process simulator needs.
func runPython(baseURL: String) async throws -> Int {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do { continuation.resume(returning: try runPythonBlocking(baseURL: baseURL)) } catch { continuation.resume(throwing: error) }
        }
    }
}

func runPythonBlocking(baseURL: String) throws -> Int {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/stripe-python-bench.py").path, baseURL, String(calls)]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
}

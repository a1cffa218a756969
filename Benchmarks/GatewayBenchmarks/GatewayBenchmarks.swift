// The Stripe client's speed against the official Python SDK: the same 500 PaymentIntent
// create+confirm calls, one after another, against the same localstripe on 127.0.0.1, in one
// run. Goal: Swift time / Python time ≤ 1.0 (reported ×100).
//
// Needs localstripe and stripe from PyPI (`make deps`). Run: make bench
import Benchmark
import Foundation
import Gateway
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
    ) { benchmark in
        let localstripe = try LocalStripeProcess()
        defer { localstripe.stop() }
        // localstripe saves its whole store after every write, so each side starts from an
        // empty store: neither pays for the other's objects.
        localstripe.flush()
        let swift = try runSwift(baseURL: localstripe.baseURL)
        localstripe.flush()
        let python = try runPython(baseURL: localstripe.baseURL)
        benchmark.measurement(.custom("swift 500 calls (ms)", useScalingFactor: false), swift / 1000)
        benchmark.measurement(.custom("python 500 calls (ms)", useScalingFactor: false), python / 1000)
        benchmark.measurement(.custom("swift/python ratio (×100)", useScalingFactor: false), swift * 100 / max(python, 1))
    }
}

/// Microseconds for `calls` create+confirm requests through ``StripeClient``.
func runSwift(baseURL: String) throws -> Int {
    let client = StripeClient(
        configuration: StripeConfiguration(baseURL: baseURL, secretKey: Secret("sk_test_bench")),
        http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "bench")))
    let result = Locked(0)
    let done = DispatchSemaphore(value: 0)
    Task {
        var card = StripeForm()
        for (key, value) in [
            ("type", "card"), ("card[number]", "4242424242424242"), ("card[exp_month]", "12"), ("card[exp_year]", "2031"),
            ("card[cvc]", "123"),
        ] {
            card.add(key, value)
        }
        guard case .ok(let method) = await client.post("/v1/payment_methods", card, idempotencyKey: "bench-card-\(UUID())") else {
            print("the Swift side could not create its test card; is localstripe running?")
            done.signal()
            return
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
        result.set(Int((ContinuousClock.now - start).wholeMicroseconds))
        done.signal()
    }
    done.wait()
    return result.value
}

/// Microseconds the Python SDK reports for the same calls.
func runPython(baseURL: String) throws -> Int {
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

/// localstripe on 127.0.0.1 through scripts/localstripe-serve.py.
final class LocalStripeProcess {
    let process = Process()
    let baseURL: String

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/localstripe-serve.py").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        baseURL = String(String(decoding: line, as: UTF8.self).dropFirst("localstripe ".count))
    }

    /// `DELETE /_config/data`: localstripe forgets every object.
    func flush() {
        let done = DispatchSemaphore(value: 0)
        let url = baseURL
        Task {
            _ = try? await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "bench")).send(
                HTTPRequest(.delete, url + "/_config/data"))
            done.signal()
        }
        done.wait()
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func set(_ value: Value) { lock.withLock { stored = value } }
}

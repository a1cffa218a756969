// One sale exchange at 9600 baud against the simulator, which paces its bytes as a real
// serial line would and takes a fixed processing time, over a real pty.
//
// The floor is what the line and the "customer" cost: every byte the terminal sends (ACK,
// reply, EOT) at 10 bits per byte, plus the processing delay. Goal: measured exchange time /
// that floor ≤ 1.02 — the driver, framing and link layer add at most 2 %.
//
// Run: make bench   (or: swift package benchmark --target TerminalBenchmarks)
import Benchmark
import Foundation
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Terminal

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Sale exchange at 9600 baud vs wire time + processing",
        configuration: .init(
            metrics: [.custom("exchange (µs)"), .custom("wire + processing (µs)"), .custom("ratio (×1000)")],
            maxDuration: .seconds(20), maxIterations: 40)
    ) { benchmark in
        let baud = 9600
        let processing = Duration.milliseconds(100)
        let simulator = PAXSimulator(settings: .init(processingDelay: processing, baudRate: baud))
        defer { simulator.stop() }
        let driver = PAXDriver(connection: .serial(path: try simulator.startPTY(), baudRate: baud), logger: Logger(label: "bench"))
        var generator = SystemRandomNumberGenerator()
        for _ in benchmark.scaledIterations {
            let reference = PaymentReference.random(using: &generator)
            let request = TerminalRequest(.sale(Money(minorUnits: 4_600, currency: .usd)), reference: reference, invoiceNumber: "1042")
            let start = ContinuousClock.now
            let result = try await driver.perform(request)
            let elapsed = ContinuousClock.now - start
            precondition(result.outcome == .approved)
            // What the terminal sent: ACK, the reply frame, EOT.
            let replyBytes = try await replySize(for: reference, simulator: simulator)
            let wire = Duration.seconds(Double((1 + replyBytes + 1) * 10) / Double(baud))
            let floor = wire + processing
            benchmark.measurement(.custom("exchange (µs)"), micros(elapsed))
            benchmark.measurement(.custom("wire + processing (µs)"), micros(floor))
            benchmark.measurement(.custom("ratio (×1000)"), micros(elapsed) * 1000 / max(micros(floor), 1))
        }
    }
}

/// The reply the simulator sent for `reference`, rebuilt from its log: its length in bytes.
func replySize(for reference: PaymentReference, simulator: PAXSimulator) async throws -> Int {
    let record = simulator.terminal.log.first { $0.reference == reference.rawValue }!
    return simulator.terminal.frame(
        for: record, command: .credit, version: "1.28", code: record.resultCode, text: "OK", fault: nil
    ).bytes.count
}

func micros(_ duration: Duration) -> Int {
    Int(duration.wholeMicroseconds)
}

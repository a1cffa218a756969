// Durable commit cost of the ledger, against the floor the disk sets.
//
// A payment is only safe once it is on disk, so a commit can never be cheaper than one
// write + fsync. The goal is that SQLite (WAL, synchronous=FULL) plus our audit chain add
// at most half of that again: commit / fsync ≤ 1.5. Both are measured in the same run, in
// the same folder, each iteration, so the ratio compares like with like on this disk.
//
// Run: make bench   (or: swift package benchmark --target LedgerBenchmarks)
import Benchmark
import Foundation
import Ledger
import PosPlusCore

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput],
        timeUnits: .microseconds,
        maxDuration: .seconds(10),
        maxIterations: 2_000
    )

    Benchmark(
        "Durable payment commit vs raw write+fsync",
        configuration: .init(
            metrics: [
                .custom("payment commit (µs)", useScalingFactor: false), .custom("write+fsync (µs)", useScalingFactor: false),
                .custom("commit/fsync ratio (×100)", useScalingFactor: false),
            ],
            // A thousand commits per run on one ledger: a fresh database per commit would measure
            // opening a database, not committing to one.
            scalingFactor: .kilo, maxDuration: .seconds(20), maxIterations: 3)
    ) { benchmark in
        let bench = try CommitBench()
        defer { bench.tearDown() }
        for iteration in benchmark.scaledIterations {
            let commit = try bench.timePaymentCommit(iteration)
            let fsync = try bench.timeRawWriteAndFsync()
            benchmark.measurement(.custom("payment commit (µs)", useScalingFactor: false), commit)
            benchmark.measurement(.custom("write+fsync (µs)", useScalingFactor: false), fsync)
            benchmark.measurement(.custom("commit/fsync ratio (×100)", useScalingFactor: false), commit * 100 / max(fsync, 1))
        }
    }

    Benchmark("Payment commit (begin: payment row + audit event)", configuration: .init(scalingFactor: .kilo, maxIterations: 3)) {
        benchmark in
        let bench = try CommitBench()
        defer { bench.tearDown() }
        for iteration in benchmark.scaledIterations {
            _ = try bench.timePaymentCommit(iteration)
        }
    }

    // The floor under the payment commit: one tiny row through the same GRDB pool settings
    // (WAL, synchronous=FULL). The payment commit minus this is what posplus itself adds.
    Benchmark(
        "Minimal durable commit (one row, same pool settings)",
        configuration: .init(
            metrics: [.custom("minimal commit (µs)", useScalingFactor: false), .custom("write+fsync (µs)", useScalingFactor: false)],
            maxDuration: .seconds(10), maxIterations: 1_000)
    ) { benchmark in
        let bench = try CommitBench()
        defer { bench.tearDown() }
        try bench.ledger.benchmarkCreateScratchTable()
        for iteration in benchmark.scaledIterations {
            let start = ContinuousClock.now
            try bench.ledger.benchmarkInsertScratchRow(iteration)
            benchmark.measurement(
                .custom("minimal commit (µs)", useScalingFactor: false), CommitBench.microseconds(ContinuousClock.now - start))
            benchmark.measurement(.custom("write+fsync (µs)", useScalingFactor: false), try bench.timeRawWriteAndFsync())
        }
    }

    // `begin` taken apart, to see which of its writes costs what.
    Benchmark(
        "Begin parts: payment row, then with its audit event",
        configuration: .init(
            metrics: [.custom("payment row (µs)", useScalingFactor: false), .custom("row + audit (µs)", useScalingFactor: false)],
            maxDuration: .seconds(10), maxIterations: 1_000)
    ) { benchmark in
        let bench = try CommitBench()
        defer { bench.tearDown() }
        for iteration in benchmark.scaledIterations {
            let request = PaymentRequest(
                operation: .sale, amount: Money(minorUnits: 4_600, currency: .usd), invoiceID: "i", channel: "bench")
            var start = ContinuousClock.now
            try bench.ledger.benchmarkBeginParts(request, key: "a-\(bench.run)-\(iteration)", withAudit: false)
            benchmark.measurement(
                .custom("payment row (µs)", useScalingFactor: false), CommitBench.microseconds(ContinuousClock.now - start))
            start = ContinuousClock.now
            try bench.ledger.benchmarkBeginParts(request, key: "b-\(bench.run)-\(iteration)", withAudit: true)
            benchmark.measurement(
                .custom("row + audit (µs)", useScalingFactor: false), CommitBench.microseconds(ContinuousClock.now - start))
        }
    }

    Benchmark("Raw write+fsync of 4 KiB", configuration: .init(scalingFactor: .kilo, maxIterations: 3)) { benchmark in
        let bench = try CommitBench()
        defer { bench.tearDown() }
        for _ in benchmark.scaledIterations {
            _ = try bench.timeRawWriteAndFsync()
        }
    }
}

/// A ledger and a plain file side by side in one temporary folder.
final class CommitBench {
    let folder: URL
    let ledger: Ledger
    let descriptor: Int32
    let block = [UInt8](repeating: 0x5A, count: 4096)
    let run = UUID().uuidString

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: LedgerKey.generate())
        descriptor = open(folder.appendingPathComponent("raw.bin").path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    }

    /// One payment intent, committed durably; returns microseconds.
    func timePaymentCommit(_ iteration: Int) throws -> Int {
        let request = PaymentRequest(
            operation: .sale, amount: Money(minorUnits: 4_600 + Int64(iteration % 1000), currency: .usd),
            invoiceID: "inv-\(iteration)", invoiceNumber: "\(iteration)", channel: "bench")
        let key = try IdempotencyKey("bench-\(run)-\(iteration)")
        let start = ContinuousClock.now
        _ = try ledger.begin(request, idempotencyKey: key, operator: "bench")
        return Self.microseconds(ContinuousClock.now - start)
    }

    /// Appends 4 KiB and fsyncs it; returns microseconds.
    func timeRawWriteAndFsync() throws -> Int {
        let start = ContinuousClock.now
        let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == block.count, fsync(descriptor) == 0 else { throw POSIXError(.EIO) }
        return Self.microseconds(ContinuousClock.now - start)
    }

    static func microseconds(_ duration: Duration) -> Int {
        Int(duration.wholeMicroseconds)
    }

    func tearDown() {
        close(descriptor)
        try? FileManager.default.removeItem(at: folder)
    }
}

// The staff API under load: 50 counter terminals (PAX simulators on TCP) each take 100 sales,
// one after another, all 50 at once, through the real `posplus serve` (a child process, release
// build) on this machine: `POST /api/charges` with a front-desk API token and an idempotency key,
// each on its own Jobber invoice. Every simulated card takes `cardTime` at the terminal, as a
// customer does, so 50 terminals are really busy at once.
//
// Reported:
// - sales per second over the whole run;
// - p50/p99 of the bridge's own time: each request's time at the client minus the terminal's
//   time (the card time of each request the terminal answered for that sale);
// - serve's peak resident memory (VmHWM; goal ≤ 150 MB);
// - double charges (goal 0): an invoice taken twice at a terminal, approved twice in the
//   ledger, or noted twice in Jobber after serve's outbox has written every note;
// - failed sales: any answer but 200 approved (goal 0).
//
// Run: make bench (it builds the release posplus first), or BENCHMARK filter `serve`.
import Benchmark
import Foundation
import HTTPClient
import Logging
import PAXSimulator

/// 50 × 100 unless `LOAD_LANES` / `LOAD_SALES` say otherwise (a quick look on a debug build).
let lanes = ProcessInfo.processInfo.environment["LOAD_LANES"].flatMap { Int($0) } ?? 50
let salesPerLane = ProcessInfo.processInfo.environment["LOAD_SALES"].flatMap { Int($0) } ?? 100
let cardTime: Duration = .milliseconds(100)

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [
        .custom("sales per second", useScalingFactor: false), .custom("bridge p50 (ms)", useScalingFactor: false),
        .custom("bridge p99 (ms)", useScalingFactor: false), .custom("serve peak RSS (MB)", useScalingFactor: false),
        .custom("double charges", useScalingFactor: false), .custom("failed sales", useScalingFactor: false),
        .custom("terminal requests per sale (×100)", useScalingFactor: false),
    ]
    Benchmark(
        "serve: \(lanes) terminals × \(salesPerLane) sales through the staff API",
        configuration: .init(metrics: metrics, maxDuration: .seconds(900), maxIterations: 1)
    ) { benchmark async throws in
        let world: LoadWorld
        do {
            world = try await LoadWorld.build(lanes: lanes, salesPerLane: salesPerLane, cardTime: cardTime)
        } catch {
            print("could not set up the load: \(error)")
            throw error
        }
        let requestsBefore = world.terminals.map(\.terminal.requestCount)
        let clock = ContinuousClock()
        let began = clock.now
        let results = await drive(world)
        let elapsed = clock.now - began
        let drained = try await world.waitForOutbox(limit: .seconds(300))
        let peak = world.servePeakResident()

        // The terminal's time in each sale: its card time for every request it answered.
        let requests = zip(world.terminals, requestsBefore).map { $0.terminal.requestCount - $1 }.reduce(0, +)
        let perSale = Double(requests) / Double(max(results.count, 1))
        let terminalTime = cardTime * perSale
        let bridge = results.map { $0.latency - terminalTime }.sorted()
        let failed = results.filter { !$0.approved }
        let doubles = doubleCharges(world)

        benchmark.measurement(.custom("sales per second", useScalingFactor: false), Int(Double(results.count) / elapsed.seconds))
        benchmark.measurement(.custom("bridge p50 (ms)", useScalingFactor: false), milliseconds(percentile(bridge, 50)))
        benchmark.measurement(.custom("bridge p99 (ms)", useScalingFactor: false), milliseconds(percentile(bridge, 99)))
        benchmark.measurement(.custom("serve peak RSS (MB)", useScalingFactor: false), peak / 1_048_576)
        benchmark.measurement(.custom("double charges", useScalingFactor: false), doubles)
        benchmark.measurement(.custom("failed sales", useScalingFactor: false), failed.count)
        benchmark.measurement(.custom("terminal requests per sale (×100)", useScalingFactor: false), Int(perSale * 100))
        if !failed.isEmpty { print("failed, e.g.: \(failed.prefix(3).map(\.answer))") }
        if !drained { print("serve's outbox still had Jobber notes to write after 300 s") }
        if peak > 150 * 1_048_576 { print("over the goal: serve's peak RSS is \(peak / 1_048_576) MB (goal ≤ 150)") }
        await world.stop(keepingFiles: !failed.isEmpty || doubles > 0 || !drained)
    }
}

/// One sale as the client saw it.
struct SaleResult: Sendable {
    var latency: Duration
    var approved: Bool
    var answer: String
}

/// Every lane at once, each its sales one after another, as a counter does.
func drive(_ world: LoadWorld) async -> [SaleResult] {
    let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "bench.client"))
    return await withTaskGroup(of: [SaleResult].self) { group in
        for lane in 0..<lanes {
            group.addTask {
                var results: [SaleResult] = []
                for sale in 0..<salesPerLane {
                    let invoice = world.invoices[lane * salesPerLane + sale]
                    let request = HTTPRequest(
                        .post, world.baseURL + "/api/charges",
                        headers: [
                            ("Authorization", "Bearer \(world.token)"), ("Idempotency-Key", "load-\(lane)-\(sale)"),
                            ("Content-Type", "application/json"),
                        ],
                        body: Array(#"{"invoice":"\#(invoice)","terminal":"\#(LoadWorld.terminalName(lane))"}"#.utf8))
                    let clock = ContinuousClock()
                    let started = clock.now
                    do {
                        let response = try await http.send(request)
                        let approved = response.status == 200 && response.text.contains(#""state":"approved""#)
                        results.append(
                            SaleResult(
                                latency: clock.now - started, approved: approved, answer: "\(response.status) \(response.text.prefix(200))")
                        )
                    } catch {
                        results.append(SaleResult(latency: clock.now - started, approved: false, answer: "no answer: \(error)"))
                    }
                }
                return results
            }
        }
        var all: [SaleResult] = []
        for await results in group { all += results }
        return all
    }
}

/// Invoices taken more than once, counted on each side that could show it.
func doubleCharges(_ world: LoadWorld) -> Int {
    var atTerminals: [String: Int] = [:]
    for terminal in world.terminals {
        for record in terminal.terminal.log where record.approvedCents > 0 && !record.voided {
            atTerminals[record.invoiceNumber, default: 0] += 1
        }
    }
    var inLedger: [String: Int] = [:]
    for payment in (try? world.ledger.payments()) ?? [] where payment.state == .approved {
        inLedger[payment.invoiceNumber ?? "", default: 0] += 1
    }
    let extra = { (counts: [String: Int]) in counts.values.reduce(0) { $0 + max(0, $1 - 1) } }
    let inJobber = world.invoices.reduce(0) { total, number in
        total + max(0, world.jobber.notes(invoiceNumber: number).filter { $0.message.contains("[posplus ") }.count - 1)
    }
    return extra(atTerminals) + extra(inLedger) + inJobber
}

func percentile(_ sorted: [Duration], _ p: Int) -> Duration {
    guard !sorted.isEmpty else { return .zero }
    return sorted[min(sorted.count - 1, sorted.count * p / 100)]
}

func milliseconds(_ duration: Duration) -> Int { Int(duration / .milliseconds(1)) }

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

// posplus reconcile over a month of a busy business: 10,000 payments over 30 days, half taken on
// five terminals (PAX simulators on TCP, listed with R02 record by record) and half at Stripe
// (the Stripe simulator), on 2,500 Jobber invoices (the Jobber simulator, signed in through
// OAuth). Everything matches, so the run measures reading and joining, not fixing.
//
// Reported: wall time and peak memory of the first run; Stripe requests against the minimum the
// pages allow (⌈n/100⌉ per list, at least one); Jobber points used against the minimum for the
// touched invoices (one reconcile query each) and THROTTLED replies (goal: 0); and the same for
// a second, incremental run that continues from the watermarks.
//
// The Jobber bucket restores quickly here (a benchmark, not a politeness test): at Jobber's real
// 500 points a second the first run would spend minutes waiting, which measures Jobber's rate,
// not posplus. The points used are counted all the same. Run: make bench
import Benchmark
import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import HTTPServing
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import Reconcile
import TestSupport

let paymentCount = 10_000
let terminalCount = 5
let paymentsPerInvoice = 4
let day: TimeInterval = 86_400

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [
        .wallClock, .peakMemoryResident, .custom("stripe requests", useScalingFactor: false),
        .custom("stripe minimum", useScalingFactor: false), .custom("jobber points", useScalingFactor: false),
        .custom("jobber minimum", useScalingFactor: false), .custom("jobber throttled", useScalingFactor: false),
        .custom("items to review", useScalingFactor: false), .custom("2nd run stripe requests", useScalingFactor: false),
        .custom("2nd run jobber points", useScalingFactor: false), .custom("2nd run ms", useScalingFactor: false),
    ]
    Benchmark(
        "reconcile 10,000 payments over 30 days: 5 terminals, Stripe, Jobber",
        configuration: .init(metrics: metrics, maxDuration: .seconds(900), maxIterations: 1)
    ) { benchmark async throws in
        let world = try await World.build()
        let start = world.start
        let end = start.addingTimeInterval(31 * day)
        let stripeBefore = world.stripe.apiRequestCount
        let jobberBefore = world.jobber.simulator.stats
        benchmark.startMeasurement()
        let report = try await world.service.run(since: nil, until: end, apply: false, actor: "bench")
        benchmark.stopMeasurement()
        let jobberAfter = world.jobber.simulator.stats
        benchmark.measurement(.custom("stripe requests", useScalingFactor: false), world.stripe.apiRequestCount - stripeBefore)
        benchmark.measurement(.custom("stripe minimum", useScalingFactor: false), world.stripeMinimum(since: report.since))
        benchmark.measurement(.custom("jobber points", useScalingFactor: false), jobberAfter.pointsUsed - jobberBefore.pointsUsed)
        let touched = Set(report.items.compactMap(\.invoiceID)).count
        benchmark.measurement(.custom("jobber minimum", useScalingFactor: false), touched * world.pointsPerInvoice)
        benchmark.measurement(
            .custom("jobber throttled", useScalingFactor: false), jobberAfter.throttledRequests - jobberBefore.throttledRequests)
        benchmark.measurement(.custom("items to review", useScalingFactor: false), report.toReview.count)
        if !report.toReview.isEmpty || !report.notes.isEmpty {
            print("unexpected: \(report.toReview.prefix(3).map(\.explanation)) \(report.notes)")
        }

        // The next day's run continues from the watermarks: two days of look-back, not a month.
        let stripeMid = world.stripe.apiRequestCount
        let jobberMid = world.jobber.simulator.stats.pointsUsed
        let clock = ContinuousClock()
        let began = clock.now
        _ = try await world.service.run(since: nil, until: end.addingTimeInterval(day), apply: false, actor: "bench")
        benchmark.measurement(.custom("2nd run ms", useScalingFactor: false), Int((clock.now - began) / .milliseconds(1)))
        benchmark.measurement(.custom("2nd run stripe requests", useScalingFactor: false), world.stripe.apiRequestCount - stripeMid)
        benchmark.measurement(
            .custom("2nd run jobber points", useScalingFactor: false), world.jobber.simulator.stats.pointsUsed - jobberMid)
        await world.stop()
    }
}

/// The month: a ledger file, the simulators planted with the same payments, and reconcile over them.
struct World {
    let start: Date
    let ledger: Ledger
    let stripe: StripeSimulator
    let stripeServer: RunningHTTPServer
    let terminals: [PAXSimulator]
    let jobber: SimulatedJobber
    let service: ReconcileService<RecordingClock>
    let invoiceIDs: [String]
    let pointsPerInvoice: Int
    /// When each planted Stripe payment was created.
    let stripeDates: [Date]
    let folder: URL

    static func build() async throws -> World {
        let start = Date(timeIntervalSince1970: 1_793_836_800)  // 2026-11-05 00:00 UTC
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-bench-\(UUID().uuidString)")
        let time = Locked(start)
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests, clock: { time.value })
        let stripe = StripeSimulator(logger: Logger(label: "bench.stripe"))
        let stripeServer = try await stripe.start()
        let jobber = try await SimulatedJobber.start()
        jobber.simulator.setThrottle(available: 10_000, restoreRate: 1_000_000)
        let terminals = (0..<terminalCount).map { _ in PAXSimulator() }
        var channels: [TerminalChannel] = []
        for (index, terminal) in terminals.enumerated() {
            let port = try terminal.startTCP()
            let driver = PAXDriver(connection: .tcp(host: "127.0.0.1", port: port), logger: Logger(label: "bench.pax"))
            channels.append(TerminalChannel(name: "desk-\(index)", driver: driver))
        }

        var generator = SystemRandomNumberGenerator()
        var invoiceIDs: [String] = []
        var stripeDates: [Date] = []
        for invoice in 0..<(paymentCount / paymentsPerInvoice) {
            var references: [String] = []
            var amounts: [Int64] = []
            var dates: [Date] = []
            for part in 0..<paymentsPerInvoice {
                references.append(PaymentReference.random(using: &generator).rawValue)
                amounts.append(Int64(500 + (invoice * 37 + part * 11) % 90_000))
                dates.append(start.addingTimeInterval(Double(invoice * paymentsPerInvoice + part) * 30 * day / Double(paymentCount)))
            }
            let notes = references.map { "Paid by card [posplus \($0)]" }
            let planted = jobber.simulator.plantInvoice(totalCents: amounts.reduce(0, +), notes: notes, at: start)
            invoiceIDs.append(planted.id)
            for part in 0..<paymentsPerInvoice {
                let n = invoice * paymentsPerInvoice + part
                let amount = Money(minorUnits: amounts[part], currency: .usd)
                let onTerminal = n % 2 == 0
                let channel = onTerminal ? "desk-\((n / 2) % terminalCount)" : "stripe"
                var processorID: String?
                if onTerminal {
                    terminals[(n / 2) % terminalCount].terminal.plantApprovedSale(
                        reference: references[part], cents: amounts[part], at: dates[part])
                } else {
                    stripeDates.append(dates[part])
                    processorID = stripe.plantSucceededPayment(
                        cents: amounts[part], metadata: ["posplus_reference": references[part], "jobber_invoice_id": planted.id],
                        created: dates[part])
                }
                time.value = dates[part]
                let payment = try ledger.begin(
                    PaymentRequest(
                        operation: .sale, amount: amount, intent: .partial, invoiceID: planted.id, invoiceNumber: planted.number,
                        channel: channel),
                    idempotencyKey: try IdempotencyKey("bench-\(n)"), operator: "bench"
                ).payment
                let attempt = try ledger.startAttempt(
                    paymentID: payment.id, reference: try PaymentReference(references[part]), actor: "bench")
                try ledger.finishAttempt(
                    attempt.id, with: .approved(AttemptDetails(captured: amount, processorReference: processorID)), actor: "bench")
            }
        }
        time.value = start.addingTimeInterval(31 * day)

        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "bench.http"))
        let gateway = StripeGateway(
            client: StripeClient(
                configuration: StripeConfiguration(baseURL: stripeServer.baseURL, secretKey: Secret("sk_test_bench")), http: http))
        let byName: [String: any PaymentChannel] = Dictionary(uniqueKeysWithValues: channels.map { ($0.name, $0) })
        let stripeChannel: any PaymentChannel = GatewayChannel(name: "stripe", gateway: gateway)
        let listed = channels
        let service = ReconcileService<RecordingClock>(
            ledger: ledger, gateway: gateway, jobber: jobber.invoices,
            channelThatTook: { (payment: PaymentRecord) -> any PaymentChannel in byName[payment.channel] ?? stripeChannel },
            processorChannels: ["stripe"], terminals: { listed }, linkCanceller: nil, logger: Logger(label: "bench.reconcile"))
        // What one invoice's reconcile query costs, as the simulator (Jobber's rule) counts it.
        let before = jobber.simulator.stats.pointsUsed
        _ = try await jobber.invoices.reconcileView(invoiceID: invoiceIDs[0])
        let pointsPerInvoice = jobber.simulator.stats.pointsUsed - before
        return World(
            start: start, ledger: ledger, stripe: stripe, stripeServer: stripeServer, terminals: terminals, jobber: jobber,
            service: service,
            invoiceIDs: invoiceIDs, pointsPerInvoice: pointsPerInvoice, stripeDates: stripeDates, folder: folder)
    }

    /// ⌈n/100⌉ (at least one) for each list a run reads from Stripe.
    func stripeMinimum(since: Date) -> Int {
        // Stripe's created[gte] is in whole seconds.
        let from = Date(timeIntervalSince1970: since.timeIntervalSince1970.rounded(.down))
        let intents = stripeDates.filter { $0 >= from }.count
        let pages = { (count: Int) in max(1, (count + 99) / 100) }
        // PaymentIntents, completed Checkout Sessions, refunds, disputes, balance transactions
        // (one per charge), payouts, active links.
        return pages(intents) + pages(0) + pages(0) + pages(0) + pages(intents) + pages(0) + pages(0)
    }

    func stop() async {
        for terminal in terminals { terminal.stop() }
        await stripeServer.stop()
        await jobber.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}

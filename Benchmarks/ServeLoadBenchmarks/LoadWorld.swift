import Bridge
import Foundation
import HTTPClient
import HTTPServing
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import TestSupport

/// What the load runs against: `lanes` PAX simulators on TCP (one counter terminal each, taking
/// `cardTime` to answer as a customer would), the Jobber simulator with one open invoice per
/// sale, a ledger file with a front-desk login and its API token, and the real `posplus serve`
/// as a child process, so its memory is its own and not the simulators'.
struct LoadWorld {
    let folder: URL
    let terminals: [PAXSimulator]
    let jobber: JobberSimulator
    let jobberServer: RunningHTTPServer
    /// Invoice numbers, `salesPerLane` for each lane in order.
    let invoices: [String]
    let ledger: Ledger
    let serve: Process
    let baseURL: String
    let token: String

    static func terminalName(_ lane: Int) -> String { "lane-\(lane < 10 ? "0" : "")\(lane)" }

    static func build(lanes: Int, salesPerLane: Int, cardTime: Duration) async throws -> LoadWorld {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let terminals = (0..<lanes).map { _ in PAXSimulator(settings: .init(processingDelay: cardTime)) }
        var terminalTables = ""
        for (lane, terminal) in terminals.enumerated() {
            let port = try terminal.startTCP()
            terminalTables += """
                [terminals.\(terminalName(lane))]
                driver = "pax"
                connection = "tcp"
                host = "127.0.0.1"
                port = \(port)

                """
        }
        let jobber = try JobberSimulator(logger: Logger(label: "bench.jobber"))
        // Jobber's own rate is not what this measures: the bucket never runs dry.
        jobber.setThrottle(available: 100_000_000, restoreRate: 100_000_000)
        let jobberServer = try await jobber.start()
        // 50.00 to 99.99: never one of the terminal's demo amounts (20.01 declines, …).
        let invoices = (0..<(lanes * salesPerLane)).map { jobber.plantInvoice(totalCents: Int64(5_000 + $0)).number }

        let config = folder.appendingPathComponent("posplus.toml")
        try """
        [ledger]
        path = "\(folder.path)/ledger/ledger.sqlite"

        [jobber]
        endpoint = "\(jobberServer.baseURL)/api/graphql"
        token_url = "\(jobberServer.baseURL)/api/oauth/token"
        client_id = "\(jobber.clientID)"
        client_secret = "\(jobber.clientSecret)"

        [staff]
        bcrypt_cost = 4

        \(terminalTables)
        """.write(to: config, atomically: true, encoding: .utf8)

        let key = LedgerKey.generate()
        let app = try PosPlusApp.load(
            configPath: config.path, ledgerPath: nil,
            families: { currency, logger in ["pax": PAXDriver.factory(currency: currency, logger: logger)] },
            logger: Logger(label: "bench"), ledgerKey: key)
        let ledger = try app.ledger()
        try await SimulatedJobber.signIn(
            ledger, at: jobberServer.baseURL, simulator: jobber, accountName: "Load Test Services", actor: "bench")
        _ = try await app.staffDirectory().add("desk", role: .frontDesk, password: try StaffPassword("load test desk"), by: "bench")
        let token = try app.apiTokens().create(for: "desk", label: "load", by: "bench").token.text

        let (serve, baseURL) = try startServe(config: config, key: key, folder: folder)
        return LoadWorld(
            folder: folder, terminals: terminals, jobber: jobber, jobberServer: jobberServer, invoices: invoices, ledger: ledger,
            serve: serve, baseURL: baseURL, token: token)
    }

    /// The release `posplus` beside this benchmark (`make bench` builds it first), or `$POSPLUS_BIN`.
    static func posplusBinary() throws -> URL {
        if let explicit = ProcessInfo.processInfo.environment["POSPLUS_BIN"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("posplus")
        guard FileManager.default.isExecutableFile(atPath: beside.path) else {
            throw LoadError.noServeBinary(beside.path)
        }
        return beside
    }

    /// Starts `posplus serve --port 0` with the ledger key in its environment; returns once it
    /// says where it listens. Its log goes to `serve.log` in the folder (kept on failure).
    static func startServe(config: URL, key: LedgerKey, folder: URL) throws -> (Process, String) {
        let process = Process()
        process.executableURL = try posplusBinary()
        process.arguments = ["serve", "--port", "0", "--config", config.path]
        process.environment = [
            "HOME": folder.path, "XDG_CONFIG_HOME": folder.path, "PATH": "/usr/bin:/bin", LedgerKey.environmentName: key.base64,
        ]
        let out = Pipe()
        process.standardOutput = out
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("serve.log").path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("serve.log"))
        try process.run()
        var lines = LineReader(handle: out.fileHandleForReading)
        while let line = lines.next() {
            guard let range = line.range(of: "posplus serving on ") else { continue }
            let url = String(line[range.upperBound...])
            // Keep reading what serve prints, so a full pipe never blocks it.
            let handle = out.fileHandleForReading
            Thread.detachNewThread { while !handle.availableData.isEmpty {} }
            return (process, url)
        }
        throw LoadError.serveDidNotStart(folder.appendingPathComponent("serve.log").path)
    }

    /// Serve's peak resident memory so far (VmHWM), in bytes.
    func servePeakResident() -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(serve.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return kilobytes * 1024
    }

    /// Waits until serve's outbox has written every Jobber note (or `limit` passes).
    func waitForOutbox(limit: Duration) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if try ledger.jobs(states: [.pending, .running]).isEmpty { return true }
            try await clock.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// Stops everything; `keepingFiles` leaves the folder (ledger, serve.log) to look at.
    func stop(keepingFiles: Bool = false) async {
        if serve.isRunning {
            serve.terminate()
            // Off the cooperative threads: Foundation's wait blocks the thread it runs on.
            let serve = self.serve
            _ = try? await onOwnThread { serve.waitUntilExit() }
        }
        for terminal in terminals { terminal.stop() }
        await jobberServer.stop()
        if keepingFiles {
            print("kept for a look: \(folder.path) (serve.log, the ledger)")
        } else {
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

enum LoadError: Error, CustomStringConvertible {
    case noServeBinary(String)
    case serveDidNotStart(String)

    var description: String {
        switch self {
        case .noServeBinary(let path):
            return "No posplus at \(path): build it with `swift build -c release --product posplus` (make bench does), or set POSPLUS_BIN."
        case .serveDidNotStart(let log): return "posplus serve did not say where it listens; see \(log)."
        }
    }
}

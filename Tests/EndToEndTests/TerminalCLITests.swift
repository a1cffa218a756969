import Foundation
import HTTPClient
import Logging
import PAXSimulator
import TestSupport
import Testing

@Suite("posplus terminals and posplus-sim, run as real processes")
struct TerminalCLITests {
    @Test func pingReachesTheSimulatorOverEachTransport() throws {
        let simulator = PAXSimulator()
        defer { simulator.stop() }
        let cli = try CLIRunner()
        for arguments in [
            ["--serial", try simulator.startPTY()], ["--tcp", "127.0.0.1:\(try simulator.startTCP())"],
            ["--http", "127.0.0.1:\(try simulator.startHTTP())"],
        ] {
            let result = try cli.run(["terminals", "ping"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains("ready — serial SIM0001, model A35"))
        }
    }

    @Test func configuredTerminalsAreListedAndChecked() throws {
        let simulator = PAXSimulator()
        defer { simulator.stop() }
        let cli = try CLIRunner()
        let config = cli.home.appendingPathComponent("posplus.toml").path
        try """
        [terminals.front-desk]
        driver = "pax"
        connection = "tcp"
        host = "127.0.0.1"
        port = \(try simulator.startTCP())

        [terminals.counter-2]
        driver = "pax"
        connection = "serial"
        path = "\(try simulator.startPTY())"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let list = try cli.run(["terminals", "list", "--config", config])
        #expect(list.stdout.contains("front-desk  pax     tcp 127.0.0.1:"))
        #expect(list.stdout.contains("counter-2   pax     serial /dev/pts/"))
        let status = try cli.run(["terminals", "status", "--config", config])
        #expect(status.status == 0, "\(status.stdout) \(status.stderr)")
        #expect(status.stdout.components(separatedBy: "ready").count == 3)
        let ping = try cli.run(["terminals", "ping", "front-desk", "--config", config])
        #expect(ping.stdout.hasPrefix("front-desk (tcp 127.0.0.1:"))

        simulator.stop()
        let down = try cli.run(["terminals", "status", "--config", config])
        #expect(down.status == 1)
        #expect(down.stdout.contains("UNREACHABLE"))
    }

    @Test func terminalConfigErrorsNameTheKey() throws {
        let cli = try CLIRunner()
        let config = cli.home.appendingPathComponent("bad.toml").path
        try "[terminals.front-desk]\ndriver = \"pax\"\nconnection = \"usb\"\nusb = \"ch340\"\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let result = try cli.run(["terminals", "list", "--config", config])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\"terminals.front-desk.usb\": \"ch340\" is not \"vendor:product\""))
        try "[terminals.front-desk]\ndriver = \"pax\"\nconection = \"tcp\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        #expect(
            try cli.run(["terminals", "list", "--config", config]).stderr.contains("Did you mean \"terminals.front-desk.connection\"?"))
        let unknown = try cli.run(["terminals", "ping", "nowhere"])
        #expect(unknown.stderr.contains("No terminal named \"nowhere\""))
        let both = try cli.run(["terminals", "ping", "--tcp", "127.0.0.1:1", "--serial", "/dev/null"])
        #expect(both.stderr.contains("Name one terminal"))
    }

    @Test func scanOnAMachineWithoutTerminalsSaysSo() throws {
        let result = try CLIRunner().run(["terminals", "scan"])
        #expect(result.status == 0)
        if ProcessInfo.processInfo.environment["UMOCKDEV_DIR"] == nil {
            #expect(result.stdout.contains("No known terminal on USB"))
        }
    }

    @Test func theDemoRunsTheSixFlowsAndRefusesARealTerminal() throws {
        let simulator = PAXSimulator()
        defer { simulator.stop() }
        let cli = try CLIRunner()
        let demo = try cli.run(["terminals", "demo", "--serial", try simulator.startPTY()])
        #expect(demo.status == 0, "\(demo.stderr)")
        for line in [
            "APPROVED $460.00 — VISA •••• 1111", "REFUNDED $60.00", "VOIDED $125.00", "CARD SAVED — VISA •••• 1111",
            "APPROVED $89.00", "DECLINED: the bank said no (code 05)", "PARTIALLY APPROVED: $10.00 taken",
            "$20.01 still due",
        ] {
            #expect(demo.stdout.contains(line), "missing: \(line)")
        }
        #expect(!demo.stdout.contains(simulator.terminal.testCardNumber))
    }

    @Test func posplusSimServesUntilTerminated() throws {
        let process = Process()
        process.executableURL = CLIRunner.binary.deletingLastPathComponent().appendingPathComponent("posplus-sim")
        process.arguments = ["terminal", "--tcp", "0", "--http", "0", "--fault", "busy"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var lines = LineReader(handle: output.fileHandleForReading)
        let tcp = lines.next() ?? ""
        let http = lines.next() ?? ""
        let ready = lines.next()
        #expect(ready == "ready")
        #expect(tcp.hasPrefix("tcp 127.0.0.1:") && http.hasPrefix("http 127.0.0.1:"))
        let ping = try CLIRunner().run(["terminals", "ping", "--tcp", String(tcp.dropFirst(4))])
        #expect(ping.status != 0)  // the injected fault: PED BUSY
        #expect(try CLIRunner().run(["terminals", "ping", "--http", String(http.dropFirst(5))]).status == 0)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let bad = try CLIRunner().run(["--help"])
        #expect(bad.status == 0)
    }

    @Test func posplusSimStripeServesStripesShapesUntilTerminated() async throws {
        let process = Process()
        process.executableURL = CLIRunner.binary.deletingLastPathComponent().appendingPathComponent("posplus-sim")
        process.arguments = ["stripe", "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var lines = LineReader(handle: output.fileHandleForReading)
        let url = String((lines.next() ?? "").dropFirst("stripe ".count))
        #expect(lines.next() == "ready")
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        let missing = try await http.send(
            HTTPRequest(.get, url + "/v1/payment_links/plink_none", headers: [("Authorization", "Bearer sk_test_x")]))
        #expect(missing.status == 404 && missing.text.contains("resource_missing"))
        let unauthorised = try await http.send(
            HTTPRequest(.get, url + "/v1/payment_links/plink_none", headers: [("Authorization", "Bearer pk_live_x")]))
        #expect(unauthorised.status == 401)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

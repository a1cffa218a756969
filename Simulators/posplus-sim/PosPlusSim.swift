import ArgumentParser
import Dispatch
import Foundation
import PAXSimulator

/// `posplus-sim`: the simulators posplus runs against in CI and in the demo.
@main
struct PosPlusSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posplus-sim",
        abstract: "Simulators that speak the real protocols, for tests and demos. Everything binds 127.0.0.1.",
        subcommands: [TerminalCommand.self, JobberSimCommand.self, StripeSimCommand.self])
}

/// `posplus-sim terminal`: a PAX terminal speaking POSLink.
struct TerminalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminal",
        abstract: "Run a simulated PAX terminal on a pty, a TCP port and/or an HTTP port until stopped.",
        discussion: """
            Prints one line per front end ("pty /dev/pts/3", "tcp 127.0.0.1:10009") and serves until
            SIGINT or SIGTERM. Demo amounts: $20.01 declines, $20.02 is an invalid card, $30.01
            approves $10.00, $30.02 approves $5.00.

            Faults (--fault NAME[:COUNT], repeatable) misbehave on the next requests, in order:
            \(SimulatorFault.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @Flag(help: "Serve on a new pty; its path is printed.")
    var pty = false

    @Option(help: ArgumentHelp("Serve raw POSLink on this TCP port (0 picks one).", valueName: "port"))
    var tcp: Int?

    @Option(help: ArgumentHelp("Serve POSLink over HTTP GET on this port (0 picks one).", valueName: "port"))
    var http: Int?

    @Option(name: .customLong("delay-ms"), help: "Processing time per transaction, in milliseconds.")
    var delayMilliseconds = 0

    @Option(help: "Pace replies at this baud rate, as a real serial line would.")
    var baud: Int?

    @Option(help: ArgumentHelp("Inject a fault into the next requests.", valueName: "name[:count]"))
    var fault: [String] = []

    func validate() throws {
        guard pty || tcp != nil || http != nil else { throw ValidationError("Choose at least one of --pty, --tcp PORT, --http PORT.") }
        for item in fault {
            let name = item.split(separator: ":").first.map(String.init) ?? ""
            guard SimulatorFault(rawValue: name) != nil else {
                throw ValidationError(
                    "Unknown fault \"\(name)\"; choose from \(SimulatorFault.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        guard (0...60_000).contains(delayMilliseconds) else { throw ValidationError("--delay-ms must be 0 to 60000.") }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)  // a client that hangs up must not stop the simulator
        let simulator = PAXSimulator(settings: .init(processingDelay: .milliseconds(delayMilliseconds), baudRate: baud))
        for item in fault {
            let parts = item.split(separator: ":")
            simulator.inject(SimulatorFault(rawValue: String(parts[0]))!, count: parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
        }
        if pty { say("pty \(try simulator.startPTY())") }
        if let tcp { say("tcp 127.0.0.1:\(try simulator.startTCP(port: tcp))") }
        if let http { say("http 127.0.0.1:\(try simulator.startHTTP(port: http))") }
        say("ready")
        await Self.untilSignalled { simulator.stop() }
    }

    /// Suspends until SIGINT or SIGTERM, then runs `stop`; the command then returns (exit 0).
    static func untilSignalled(_ stop: @escaping @Sendable () -> Void) async {
        let once = NSLock()
        nonisolated(unsafe) var signalled = false
        await withCheckedContinuation { (running: CheckedContinuation<Void, Never>) in
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                // The handler holds its source, so the source lives as long as the process.
                source.setEventHandler {
                    _ = source
                    let first = once.withLock {
                        defer { signalled = true }
                        return !signalled
                    }
                    if first { running.resume() }
                }
                source.resume()
            }
        }
        stop()
    }

    /// A line on stdout, flushed at once: scripts wait for these lines.
    private func say(_ line: String) {
        print(line)
        fflush(nil)
    }
}

import Foundation
import Ledger
import TestSupport
import Testing

/// `posplus forecast` as a real process against the Jobber simulator's standard account (its
/// invoices were issued in October 2026 and Grace Hopper's #1050, $999,999.99, has been past
/// due since November 1), on the machine's own clock: so the checks are of what holds on any
/// later day, not of dates.
@Suite("posplus forecast", .timeLimit(.minutes(2)))
struct ForecastCLITests {
    /// A scratch HOME whose ledger is connected to the Jobber simulator, and the binary run there.
    struct Connected {
        let cli: CLIRunner
        let jobber: ConnectedJobber

        static func start() async throws -> Connected {
            let cli = try CLIRunner()
            return Connected(
                cli: cli, jobber: try await ConnectedJobber.start(connecting: try Ledger.open(at: cli.ledgerPath, key: .forTests)))
        }

        /// - Parameter path: the binary's PATH instead of the usual one.
        func posplus(_ arguments: [String], path: String? = nil) async throws -> CLIRunner.Result {
            var environment = ["POSPLUS_LEDGER_PATH": cli.ledgerPath].merging(jobber.environment) { $1 }
            if let path { environment["PATH"] = path }
            return try await onOwnThread { [cli, environment] in try cli.run(arguments, environment: environment) }
        }
    }

    @Test func textJSONAndTheChartFile() async throws {
        let connected = try await Connected.start()
        let chart = connected.cli.home.appendingPathComponent("cash-flow.svg").path

        let text = try await connected.posplus(["forecast", "--days", "30,14", "--svg", chart])
        #expect(text.status == 0, "\(text.stderr)")
        for expected in [
            "Expected in:", "  next 14 days: $", "  next 30 days: $", "DSO now: ", "DSO at month-ends: ", "Chase first:",
            "  1. #1050 Grace Hopper: $999,999.99, ", "Chart written to \(chart).",
        ] {
            #expect(text.stdout.contains(expected), "\(expected) in \(text.stdout)")
        }
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>\n"))

        let json = try await connected.posplus(["forecast", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let horizons = try #require(object["horizons"] as? [[String: Any]])
        #expect(horizons.map { $0["days"] as? Int } == [30, 60, 90])
        let amounts = horizons.compactMap { (($0["expected"] as? [String: Any])?["minorUnits"] as? NSNumber)?.int64Value }
        #expect(amounts.count == 3 && amounts == amounts.sorted())
        #expect((object["chase"] as? [[String: Any]])?.first?["invoiceNumber"] as? String == "1050")
        #expect((object["weeks"] as? [Any])?.count == 13)
        #expect(object["currency"] as? String == "USD" && object["invoicesRead"] as? Int == 8)

        let bad = try await connected.posplus(["forecast", "--days", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--days takes whole days from 1 to 366"), "\(bad.stderr)")
        await connected.jobber.stop()
    }

    /// `--png` is the same chart drawn by the real rsvg-convert (`make deps` installs it): a PNG
    /// whose IHDR says the SVG's width and height, and nothing else left in the folder.
    @Test func thePNGChartIsARealPNGOfTheSVGsSize() async throws {
        let connected = try await Connected.start()
        let charts = connected.cli.home.appendingPathComponent("charts")
        try FileManager.default.createDirectory(at: charts, withIntermediateDirectories: true)
        let (svg, png) = (charts.appendingPathComponent("cash-flow.svg").path, charts.appendingPathComponent("cash-flow.png").path)

        let run = try await connected.posplus(["forecast", "--svg", svg, "--png", png])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Chart written to \(svg).\nChart written to \(png).\n"), "\(run.stdout)")
        let size = try #require(PNGHeader(svgSize: try String(contentsOfFile: svg, encoding: .utf8)))
        let header = try #require(PNGHeader(try Data(contentsOf: URL(fileURLWithPath: png))), "starts with the PNG signature and IHDR")
        #expect(header == size && size == PNGHeader(width: 720, height: 320))
        #expect(try FileManager.default.contentsOfDirectory(atPath: charts.path).sorted() == ["cash-flow.png", "cash-flow.svg"])
        await connected.jobber.stop()
    }

    /// Without rsvg-convert in PATH, `--png` stops at once naming the tool and its package, and
    /// writes nothing; the rest of the command does not need it.
    @Test func aMissingConverterIsNamedWithItsPackage() async throws {
        let connected = try await Connected.start()
        let home = connected.cli.home
        let emptyBin = home.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: emptyBin, withIntermediateDirectories: true)
        let (svg, png) = (home.appendingPathComponent("c.svg").path, home.appendingPathComponent("c.png").path)

        let failed = try await connected.posplus(["forecast", "--svg", svg, "--png", png], path: emptyBin.path)
        #expect(failed.status != 0)
        #expect(
            failed.stderr.contains("A PNG needs rsvg-convert, which is not installed (looked in PATH: \(emptyBin.path))"),
            "\(failed.stderr)")
        #expect(failed.stderr.contains("Install it with `apt-get install librsvg2-bin`"), "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: svg) && !FileManager.default.fileExists(atPath: png), "nothing written")
        #expect(failed.stdout.isEmpty, "no forecast printed: \(failed.stdout)")

        let svgOnly = try await connected.posplus(["forecast", "--svg", svg], path: emptyBin.path)
        #expect(svgOnly.status == 0 && FileManager.default.fileExists(atPath: svg), "\(svgOnly.stderr)")
        await connected.jobber.stop()
    }
}

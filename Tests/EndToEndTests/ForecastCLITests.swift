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
    @Test func textJSONAndTheChartFile() async throws {
        let cli = try CLIRunner()
        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        let jobber = try await ConnectedJobber.start(connecting: ledger)
        let environment = ["POSPLUS_LEDGER_PATH": cli.ledgerPath].merging(jobber.environment) { $1 }
        func posplus(_ arguments: [String]) async throws -> CLIRunner.Result {
            try await onOwnThread { try cli.run(arguments, environment: environment) }
        }
        let chart = cli.home.appendingPathComponent("cash-flow.svg").path

        let text = try await posplus(["forecast", "--days", "30,14", "--svg", chart])
        #expect(text.status == 0, "\(text.stderr)")
        for expected in [
            "Expected in:", "  next 14 days: $", "  next 30 days: $", "DSO now: ", "DSO at month-ends: ", "Chase first:",
            "  1. #1050 Grace Hopper: $999,999.99, ", "Chart written to \(chart).",
        ] {
            #expect(text.stdout.contains(expected), "\(expected) in \(text.stdout)")
        }
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>\n"))

        let json = try await posplus(["forecast", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let horizons = try #require(object["horizons"] as? [[String: Any]])
        #expect(horizons.map { $0["days"] as? Int } == [30, 60, 90])
        let amounts = horizons.compactMap { (($0["expected"] as? [String: Any])?["minorUnits"] as? NSNumber)?.int64Value }
        #expect(amounts.count == 3 && amounts == amounts.sorted())
        #expect((object["chase"] as? [[String: Any]])?.first?["invoiceNumber"] as? String == "1050")
        #expect((object["weeks"] as? [Any])?.count == 13)
        #expect(object["currency"] as? String == "USD" && object["invoicesRead"] as? Int == 8)

        let bad = try await posplus(["forecast", "--days", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--days takes whole days from 1 to 366"), "\(bad.stderr)")
        await jobber.stop()
    }
}

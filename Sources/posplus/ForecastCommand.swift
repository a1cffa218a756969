import ArgumentParser
import Bridge
import Foundation
import PosPlusCore
import Receivables

/// `posplus forecast`: cash expected in, DSO and what to chase (issue 13, part 5). Read-only.
struct ForecastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast the cash coming in, days sales outstanding, and which invoices to chase first.",
        discussion: """
            Reads Jobber's open invoices and the last year's with their payments, and the ledger's pending
            ACH debits. Each open invoice is expected on its issue date plus its client's median days to
            pay (the business's median for a new client); one already later than that is expected within
            a week; a disputed one, or one over 90 days past due, is not counted on. Dates are in
            reconcile.time_zone. Changes nothing.
            Examples:
              posplus forecast
              posplus forecast --days 14,30 --json
              posplus forecast --svg cash-flow.svg
              posplus forecast --png cash-flow.png
            A PNG is the same chart drawn by rsvg-convert (apt-get install librsvg2-bin), found in PATH
            or at POSPLUS_RSVG_CONVERT.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        help: ArgumentHelp("Horizons in days, comma-separated.", valueName: "30,60,90"),
        transform: { text in
            guard let days = ForecastRules.horizons(parsing: text) else {
                throw ValidationError("--days takes whole days from 1 to 366, comma-separated, each once: for example --days 30,60,90.")
            }
            return days
        })
    var days: [Int] = [30, 60, 90]

    @Flag(help: "Print JSON; amounts as exact minor units and text, dates as local dates.") var json = false

    @Option(help: ArgumentHelp("Also write the weekly chart as SVG to this file.", valueName: "file")) var svg: String?

    @Option(help: ArgumentHelp("Also write the weekly chart as PNG to this file (needs rsvg-convert).", valueName: "file"))
    var png: String?

    func run() async throws {
        let rasterizer = SVGRasterizer()
        if png != nil { _ = try rasterizer.tool() }  // a missing converter is said before Jobber is asked
        let app = try global.app(label: "posplus.forecast")
        var rules = ForecastRules()
        rules.horizons = days
        let report = try await app.forecastService().report(rules: rules)
        if let svg {
            do { try report.svg.write(toFile: svg, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("The chart could not be written to \(svg): \(error.localizedDescription)")
            }
        }
        if let png { try await rasterizer.writePNG(svg: report.svg, to: png) }
        if json {
            print(try PaymentView.json(ForecastView(report, amount: CLIAmount.init)))
        } else {
            print(report.text)
            let files = [svg, png].compactMap { $0 }
            if !files.isEmpty { print("\n" + files.map { "Chart written to \($0)." }.joined(separator: "\n")) }
        }
    }
}

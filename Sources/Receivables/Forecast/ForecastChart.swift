import Foundation
import PosPlusCore

/// The forecast as an SVG picture: a bar per week of expected inflow (invoices and scheduled
/// inflows stacked), a line of the running total, and a money axis.
///
/// Plain string building: no dependency, the same bytes for the same forecast, every piece of
/// text escaped. One vertical scale serves bars and line (the running total is the largest
/// figure), with ticks at round amounts (1, 2 or 5 × a power of ten in major units) so the
/// axis reads "$0", "$5,000", "$10,000". Pixel positions are whole numbers computed in integer
/// arithmetic from the exact amounts.
public struct ForecastChart: Sendable {
    public var width = 720
    public var height = 320
    public var title = "Expected cash in, by week"

    public init() {}

    public func svg(_ forecast: CashFlowForecast, days: LocalDays) -> String {
        let left = 84, right = 16, top = 40, bottom = 48
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let weeks = forecast.weeks
        let peak = max(weeks.last?.cumulative.minorUnits ?? 0, weeks.map(\.total.minorUnits).max() ?? 0)
        let (step, ticks) = Self.scale(peak: peak, perMajor: forecast.currency.minorUnitsPerMajor)
        let top64 = step * Int64(ticks)
        func y(_ minor: Int64) -> Int { top + plotHeight - Int(Int64(plotHeight) * max(0, minor) / max(1, top64)) }

        var out: [String] = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(width)" height="\##(height)" viewBox="0 0 \##(width) \##(height)" role="img" aria-labelledby="forecast-title">"##,
            ##"<title id="forecast-title">\##(Self.escape(title))</title>"##,
            ##"<rect x="0" y="0" width="\##(width)" height="\##(height)" fill="#ffffff"/>"##,
            ##"<text x="\##(left)" y="22" font-family="sans-serif" font-size="14" font-weight="bold" fill="#222">\##(Self.escape(title))</text>"##,
        ]
        for tick in 0...ticks {
            let value = step * Int64(tick)
            // Ticks are whole major units: "$5,000", not "$5,000.00".
            let formatted = Money(minorUnits: value, currency: forecast.currency).formatted
            let digits = forecast.currency.minorUnitDigits
            let label = digits > 0 ? String(formatted.dropLast(digits + 1)) : formatted
            out.append(##"<line x1="\##(left)" y1="\##(y(value))" x2="\##(left + plotWidth)" y2="\##(y(value))" stroke="#dddddd"/>"##)
            out.append(
                ##"<text class="axis" x="\##(left - 6)" y="\##(y(value) + 4)" text-anchor="end" font-family="sans-serif" font-size="11" fill="#444">\##(Self.escape(label))</text>"##
            )
        }
        guard !weeks.isEmpty else { return (out + ["</svg>"]).joined(separator: "\n") + "\n" }
        let slot = plotWidth / weeks.count
        let barWidth = max(2, slot * 3 / 5)
        var points: [String] = []
        for week in weeks {
            let x = left + week.index * slot + (slot - barWidth) / 2
            let invoicesTop = y(week.fromInvoices.minorUnits)
            let allTop = y(week.total.minorUnits)
            let label =
                "Week of \(days.isoDate(week.start)): \(week.total.formatted) (invoices \(week.fromInvoices.formatted), scheduled \(week.scheduled.formatted))"
            out.append(##"<g class="week"><title>\##(Self.escape(label))</title>"##)
            out.append(
                ##"<rect class="bar invoices" x="\##(x)" y="\##(invoicesTop)" width="\##(barWidth)" height="\##(y(0) - invoicesTop)" fill="#4a7bd0"/>"##
            )
            out.append(
                ##"<rect class="bar scheduled" x="\##(x)" y="\##(allTop)" width="\##(barWidth)" height="\##(invoicesTop - allTop)" fill="#9bc47a"/>"##
            )
            out.append("</g>")
            points.append("\(left + week.index * slot + slot / 2),\(y(week.cumulative.minorUnits))")
            if weeks.count <= 8 || week.index % 2 == 0 {
                out.append(
                    ##"<text class="axis" x="\##(left + week.index * slot + slot / 2)" y="\##(top + plotHeight + 16)" text-anchor="middle" font-family="sans-serif" font-size="10" fill="#444">\##(Self.escape(Self.shortDate(week.start, days)))</text>"##
                )
            }
        }
        out.append(
            ##"<polyline class="cumulative" points="\##(points.joined(separator: " "))" fill="none" stroke="#d0604a" stroke-width="2"/>"##)
        let legendY = height - 12
        out.append(##"<rect x="\##(left)" y="\##(legendY - 9)" width="10" height="10" fill="#4a7bd0"/>"##)
        out.append(##"<text x="\##(left + 14)" y="\##(legendY)" font-family="sans-serif" font-size="11" fill="#222">Open invoices</text>"##)
        out.append(##"<rect x="\##(left + 110)" y="\##(legendY - 9)" width="10" height="10" fill="#9bc47a"/>"##)
        out.append(##"<text x="\##(left + 124)" y="\##(legendY)" font-family="sans-serif" font-size="11" fill="#222">Scheduled</text>"##)
        out.append(
            ##"<line x1="\##(left + 200)" y1="\##(legendY - 4)" x2="\##(left + 216)" y2="\##(legendY - 4)" stroke="#d0604a" stroke-width="2"/>"##
        )
        out.append(
            ##"<text x="\##(left + 220)" y="\##(legendY)" font-family="sans-serif" font-size="11" fill="#222">Running total</text>"##)
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// A round tick step (1, 2 or 5 × 10ⁿ major units, in minor units) and how many ticks
    /// (at most 5) cover `peak`.
    public static func scale(peak: Int64, perMajor: Int64) -> (step: Int64, ticks: Int) {
        guard peak > 0 else { return (perMajor * 100, 1) }
        var magnitude = perMajor
        while true {
            for factor: Int64 in [1, 2, 5] {
                let step = magnitude * factor
                let ticks = (peak + step - 1) / step
                if ticks <= 5 { return (step, Int(max(1, ticks))) }
            }
            let (next, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return (peak, 1) }
            magnitude = next
        }
    }

    /// "Dec 3".
    static func shortDate(_ date: Date, _ days: LocalDays) -> String {
        let parts = days.calendar.dateComponents([.month, .day], from: date)
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[((parts.month ?? 1) - 1) % 12]) \(parts.day ?? 1)"
    }

    /// Text safe inside an element or a double-quoted attribute.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

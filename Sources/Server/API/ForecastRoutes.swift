import Bridge
import Foundation
import HTTPTypes
import Hummingbird
import PosPlusCore
import Receivables

/// The cash-flow forecast (issue 13, part 5): the same figures `posplus forecast` prints, as
/// JSON with the chart's SVG in it, and the chart alone for an `<img>`. For managers and
/// owners (``Permission/viewReports``): what customers owe is not the counter's business.
struct ForecastRoutes: Sendable {
    let app: PosPlusApp

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/forecast", .permission(.viewReports))) { call in
                let report = try await app.forecastService().report(rules: try Self.rules(call))
                return call.json(ForecastAnswer(view: ForecastView(report, amount: AmountView.init), svg: report.svg))
            },
            APIEndpoint(APIRoute(.get, "/api/forecast/chart.svg", .permission(.viewReports))) { call in
                let report = try await app.forecastService().report(rules: try Self.rules(call))
                var headers = HTTPFields()
                headers[.contentType] = "image/svg+xml; charset=utf-8"
                headers[.cacheControl] = "no-store"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: report.svg)))
            },
        ]
    }

    /// `?days=30,60,90` (also `?days=30&days=60`); the default horizons without it.
    static func rules(_ call: APICall) throws -> ForecastRules {
        var rules = ForecastRules()
        let given = call.queryAll("days")
        guard !given.isEmpty else { return rules }
        guard let horizons = ForecastRules.horizons(parsing: given.joined(separator: ",")) else {
            throw APIError(
                .badRequest, code: "invalid_parameter",
                message: "days takes whole days from 1 to 366, comma-separated, each once: for example days=30,60,90.")
        }
        rules.horizons = horizons
        return rules
    }

    /// The view's fields, and `svg`: the chart, ready to put in a page.
    struct ForecastAnswer: Encodable {
        var view: ForecastView<AmountView>
        var svg: String

        enum CodingKeys: String, CodingKey { case svg }

        func encode(to encoder: any Encoder) throws {
            try view.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(svg, forKey: .svg)
        }
    }
}

extension APIError {
    /// A forecast needs Jobber: not set up is 503, unreachable 502.
    init(forecast error: ForecastError) {
        switch error {
        case .unavailable: self.init(.serviceUnavailable, code: "jobber_not_configured", message: error.description)
        case .jobber: self.init(.badGateway, code: "jobber_unavailable", message: error.description)
        case .arithmetic: self.init(.unprocessableContent, code: "forecast_failed", message: error.description)
        }
    }
}

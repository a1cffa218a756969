import Bridge
import Foundation
import Hummingbird

/// The configured counter terminals and how each is now.
struct TerminalRoutes: Sendable {
    let app: PosPlusApp

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/terminals", .permission(.viewTerminals))) { call in
                call.json(Terminals(terminals: app.config.terminals.map(TerminalView.init)))
            },
            APIEndpoint(APIRoute(.get, "/api/terminals/{name}/health", .permission(.viewTerminals))) { call in
                let name = try APIInput.terminalName(try call.parameter("name"))
                // Through the terminal's one supervisor: a check never talks over a customer's card.
                let health = try await app.terminalChannel(named: name).health()
                return call.json(TerminalHealthView(name: name, health))
            },
        ]
    }

    struct Terminals: Encodable { var terminals: [TerminalView] }
}

/// The last reconcile report, as `posplus reconcile last` prints it.
struct ReportRoutes: Sendable {
    let app: PosPlusApp

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/reconcile/last", .permission(.viewReports))) { call in
                guard let kept = try app.ledger().lastReconcileReport() else {
                    throw APIError(
                        .notFound, code: "no_report",
                        message: "No reconcile has run yet. Run `posplus reconcile`, or let `posplus serve` run it on its schedule.")
                }
                return call.json(
                    LastReport(
                        ranAt: kept.ranAt, actor: kept.actor, applied: kept.applied, toReview: kept.toReview,
                        report: try ReconcileReport.decode(kept.report)))
            }
        ]
    }

    struct LastReport: Encodable {
        var ranAt: Date
        var actor: String
        var applied: Int
        var toReview: Int
        var report: ReconcileReport
    }
}

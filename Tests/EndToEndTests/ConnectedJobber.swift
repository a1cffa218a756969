import Foundation
import HTTPClient
import HTTPServing
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PosPlusCore
import Testing

/// The Jobber simulator running in the test process, with a CLI ledger already connected to
/// it through the real OAuth exchange — what `posplus jobber connect` would have left behind.
struct ConnectedJobber {
    let simulator: JobberSimulator
    let server: RunningHTTPServer

    /// The variables that point the CLI at this simulator.
    var environment: [String: String] {
        [
            "POSPLUS_JOBBER_ENDPOINT": server.baseURL + "/api/graphql", "POSPLUS_JOBBER_TOKEN_URL": server.baseURL + "/api/oauth/token",
            "POSPLUS_JOBBER_CLIENT_ID": simulator.clientID, "POSPLUS_JOBBER_CLIENT_SECRET": simulator.clientSecret,
        ]
    }

    static func start(connecting ledger: Ledger) async throws -> ConnectedJobber {
        let simulator = try JobberSimulator()
        let server = try await simulator.start()
        try await SimulatedJobber.signIn(ledger, at: server.baseURL, simulator: simulator)
        return ConnectedJobber(simulator: simulator, server: server)
    }

    func stop() async { await server.stop() }
}

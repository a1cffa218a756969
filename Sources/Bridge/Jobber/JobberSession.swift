import Foundation
import HTTPClient
import Jobber
import Ledger
import Logging
import PosPlusCore

/// The Jobber clients, wired from configuration and the ledger.
public struct JobberSession: Sendable {
    public let graphQL: JobberGraphQLClient<ContinuousClock>
    public let invoices: JobberInvoices<ContinuousClock>
    public let tokens: JobberTokenManager

    public init(settings: JobberSettings, currency: Currency, ledger: Ledger, logger: Logger) throws(JobberError) {
        let http = HTTPClient(clock: ContinuousClock(), logger: logger)
        let oauth = try Self.oauth(settings, http: http)
        tokens = JobberTokenManager(store: LedgerJobberTokenStore(ledger: ledger)) {
            (old: JobberTokens) async throws(JobberError) -> JobberTokens in
            try await oauth.refresh(old)
        }
        graphQL = JobberGraphQLClient(
            endpoint: settings.endpoint, apiVersion: settings.apiVersion, tokens: tokens, http: http, clock: ContinuousClock(),
            logger: logger)
        invoices = JobberInvoices(client: graphQL, currency: currency)
    }

    static func oauth(_ settings: JobberSettings, http: HTTPClient<ContinuousClock>) throws(JobberError) -> JobberOAuthClient {
        guard let clientID = settings.clientID, let secret = settings.clientSecret else {
            throw .notConnected("jobber.client_id and jobber.client_secret are not configured")
        }
        return JobberOAuthClient(tokenURL: settings.tokenURL, clientID: clientID, clientSecret: secret, http: http)
    }
}

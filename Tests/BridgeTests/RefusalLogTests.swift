import Bridge
import Foundation
import Gateway
import HTTPClient
import InMemoryLogging
import Jobber
import Ledger
import Logging
import PosPlusCore
import Server
import TestSupport
import Testing

/// Refused webhooks under attack: a burst writes a few lines a minute, not a line a request.
/// Real inboxes on a real ledger, a clock the test moves, and the log captured in memory.
@Suite("Refused webhooks are logged at a bounded rate", .timeLimit(.minutes(1)))
struct RefusalLogTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-refusals-\(UUID().uuidString)")
    let clock = SteppingDate()
    let logs = InMemoryLogHandler()

    var logger: Logger { Logger(label: "t") { [logs] _ in logs } }
    var lines: [String] { logs.entries.map { "\($0.message)" } }
    func refusals() -> RefusalLog { RefusalLog(logger: logger, now: { [clock] in clock.date }) }

    /// Once 2,000 lines for 2,000 forged deliveries.
    @Test func aBurstOfForgedJobberDeliveriesIsOneLinePerKindAndACount() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        let inbox = JobberWebhookInbox(
            ledger: ledger, verifier: JobberWebhookVerifier(clientSecret: Secret("app-client-secret")), logger: logger,
            refusals: refusals())
        let body = Array(#"{"data":{"webHookEvent":{"topic":"APP_DISCONNECT"}}}"#.utf8)
        let forger = JobberWebhookVerifier(clientSecret: Secret("guessed"))
        for _ in 0..<1_000 {
            #expect(throws: JobberError.self) { try inbox.receive(body: body, signature: forger.signature(for: body)) }
            #expect(throws: JobberError.self) { try inbox.receive(body: body, signature: nil) }
        }
        #expect(lines == ["rejected a Jobber webhook", "rejected a Jobber webhook"])
        #expect(Set(logs.entries.compactMap { $0.metadata["kind"].map { "\($0)" } }) == ["signatureMismatch", "missingSignature"])

        clock.advance(59)
        inbox.refusals.flush()
        #expect(lines.count == 2)  // the minute is not over: nothing more yet

        clock.advance(2)
        inbox.refusals.flush()
        #expect(lines.count == 4)
        #expect(lines.suffix(2).allSatisfy { $0 == "rejected 999 more Jobber webhooks of the same kind within 60 s" })

        #expect(throws: JobberError.self) { try inbox.receive(body: body, signature: nil) }
        #expect(lines.count == 5 && lines.last == "rejected a Jobber webhook")
        #expect(try ledger.pendingWebhooks().isEmpty)
    }

    @Test func aCountIsLoggedWithTheFirstRefusalOfTheNextMinuteToo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        let verifier = StripeWebhookVerifier(endpointSecret: Secret("whsec_t"), now: { [clock] in clock.date })
        let inbox = StripeWebhookInbox(ledger: ledger, verifier: verifier, logger: logger, refusals: refusals())
        let body = Array(#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{}}}"#.utf8)
        let forged = StripeWebhookVerifier(endpointSecret: Secret("whsec_guess")).signatureHeader(for: body, at: clock.date)
        for _ in 0..<500 {
            #expect(throws: StripeWebhookError.noMatchingSignature) { try inbox.receive(body: body, signature: forged) }
        }
        let old = verifier.signatureHeader(for: body, at: clock.date.addingTimeInterval(-3_600))
        #expect(throws: StripeWebhookError.stale(age: 3_600)) { try inbox.receive(body: body, signature: old) }
        #expect(lines == ["rejected a Stripe webhook", "rejected a Stripe webhook"])
        #expect(logs.entries.last?.metadata["reason"].map { "\($0)" } == "\(StripeWebhookError.stale(age: 3_600))")

        clock.advance(60)
        #expect(throws: StripeWebhookError.noMatchingSignature) { try inbox.receive(body: body, signature: forged) }
        #expect(lines.suffix(2) == ["rejected 499 more Stripe webhooks of the same kind within 60 s", "rejected a Stripe webhook"])
    }

    /// The endpoint's own refusals (here: Jobber not configured) share the same bound.
    @Test func theEndpointsOwnRefusalsAreBoundedToo() async throws {
        let server = try await PosPlusServer(jobberInbox: nil, logger: logger, refusals: refusals()).start(port: 0)
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "client"))
        for _ in 0..<20 {
            let response = try await http.send(HTTPRequest(.post, server.baseURL + "/webhooks/jobber", body: Array("{}".utf8)))
            #expect(response.status == 503)
        }
        await server.stop()
        let refusalLines = logs.entries.filter { $0.metadata["kind"] != nil }  // not Hummingbird's own lines
        #expect(refusalLines.map { "\($0.message)" } == ["rejected a Jobber webhook"])
        #expect(refusalLines.first?.metadata["kind"].map { "\($0)" } == "notConfigured")
    }
}

import Bridge
import Foundation
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import TestSupport
import Testing

/// A payment recorded but never sent (posplus stopped between the ledger and the terminal) is
/// abandoned by Recovery once it is old, on the channels Recovery serves; the ledger's clock is
/// stepped, nothing sleeps.
@Suite("Recovery: intents that were never sent")
struct StaleIntentTests {
    @Test func oldIntentsOnOurTerminalsAreAbandonedAndNothingElse() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-stale-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = SteppingDate()
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests) { clock.date }
        func intend(_ key: String, channel: String) throws -> Int64 {
            try ledger.begin(
                PaymentRequest(operation: .sale, amount: Money(minorUnits: 8_999, currency: .usd), invoiceID: "i1044", channel: channel),
                idempotencyKey: try IdempotencyKey(key), operator: "ada"
            ).payment.id
        }
        let old = try intend("old", channel: "front-desk")
        let link = try intend("link", channel: "link:stripe")  // finished by its webhook, not by Recovery
        clock.advance(11 * 60)
        let fresh = try intend("fresh", channel: "front-desk")

        // Named only: Recovery never calls a channel to abandon an intent.
        let channel = TerminalChannel(
            name: "front-desk", driver: PAXDriver(connection: .tcp(host: "127.0.0.1", port: 9), logger: Logger(label: "t")))
        let abandoned = try Recovery(ledger: ledger, logger: Logger(label: "t")).abandonStaleIntents(on: [channel])
        #expect(abandoned.map(\.paymentID) == [old])
        #expect(abandoned.first?.message.contains("nothing was charged") == true)
        #expect(try ledger.payment(id: old)?.state == .abandoned)
        #expect(try ledger.payment(id: fresh)?.state == .intended)
        #expect(try ledger.payment(id: link)?.state == .intended)
    }
}

/// "Not found" right after a request went out proves nothing (the terminal may still be waiting
/// for the card): Recovery leaves such a payment in doubt and abandons it only once its attempt
/// is old. The ledger's clock is stepped; the lookup goes to the PAX simulator over TCP.
@Suite("Recovery: not found is proof only when old")
struct NotFoundGraceTests {
    @Test func aYoungAttemptNotFoundStaysInDoubtAndAnOldOneIsAbandoned() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-grace-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = SteppingDate()
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests) { clock.date }
        let terminal = PAXSimulator()
        defer { terminal.stop() }
        let channel = TerminalChannel(
            name: "front-desk",
            driver: PAXDriver(connection: .tcp(host: "127.0.0.1", port: try terminal.startTCP()), logger: Logger(label: "t")))
        let payment = try ledger.begin(
            PaymentRequest(operation: .sale, amount: Money(minorUnits: 8_999, currency: .usd), invoiceID: "i1044", channel: "front-desk"),
            idempotencyKey: try IdempotencyKey("in-flight"), operator: "ada"
        ).payment
        // The process that sent it is gone (or still waiting): the attempt is in flight.
        _ = try ledger.startAttempt(paymentID: payment.id, reference: try PaymentReference("P0000000000YOUNG"), actor: "ada")
        let recovery = Recovery(ledger: ledger, logger: Logger(label: "t"))

        let young = try await recovery.resolveInDoubt(channels: [channel])
        #expect(young.map(\.state) == [nil])
        #expect(young.first?.message.contains("may still be in progress") == true)
        #expect(try ledger.payment(id: payment.id)?.state == .sent)

        clock.advance(16 * 60)
        let old = try await recovery.resolveInDoubt(channels: [channel])
        #expect(old.map(\.state) == [.abandoned])
        #expect(terminal.terminal.log.isEmpty, "nothing was ever charged")
    }
}

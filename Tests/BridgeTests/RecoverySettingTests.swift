import Bridge
import Foundation
import Ledger
import Logging
import PAX
import PAXSimulator
import PosPlusCore
import TestSupport
import Testing

/// `recovery.not_found_after`: how long after an attempt started a terminal's "no record of
/// it" is taken as proof that nothing was charged. The ledger's clock is stepped; the lookup
/// is real (the PAX simulator over TCP, which never saw the reference).
@Suite("Recovery: the configured wait for \"not found\"")
struct RecoverySettingTests {
    @Test func notFoundFreesTheInvoiceOnlyAfterTheConfiguredWait() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-notfound-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = SteppingDate()
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests) { clock.date }
        let terminal = PAXSimulator()
        defer { terminal.stop() }
        let channel = TerminalChannel(
            name: "front-desk",
            driver: PAXDriver(connection: .tcp(host: "127.0.0.1", port: try terminal.startTCP()), logger: Logger(label: "t")))
        // Recorded and marked sent, but the request never left (the process died first).
        let payment = try ledger.begin(
            PaymentRequest(operation: .sale, amount: Money(minorUnits: 8_999, currency: .usd), invoiceID: "i1044", channel: "front-desk"),
            idempotencyKey: try IdempotencyKey("lost"), operator: "ada"
        ).payment
        _ = try ledger.startAttempt(paymentID: payment.id, reference: try PaymentReference("PNEVERSENT000001"), actor: "ada")

        let recovery = Recovery(ledger: ledger, logger: Logger(label: "t"), notFoundAfter: .seconds(5 * 60))
        clock.advance(4 * 60)
        #expect(try await recovery.resolve(payment, on: channel).state == .sent, "still young: the terminal may be waiting for the card")
        let waiting = try await recovery.resolveInDoubt(channels: [channel])
        #expect(waiting.first?.message.contains("after 5 minutes") == true, "\(waiting)")

        clock.advance(61)
        let abandoned = try await recovery.resolve(payment, on: channel)
        #expect(abandoned.state == .abandoned && abandoned.capturedMinor == 0)
        #expect(abandoned.message?.contains("nothing was charged") == true)
        #expect(terminal.terminal.log.isEmpty, "looked up, never charged")
    }

    @Test func theSettingIsReadAndHasAFloor() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-recovery-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let path = home.appendingPathComponent("config.toml").path
        func load(_ value: String) throws -> Duration {
            try "[recovery]\nnot_found_after = \(value)\n".write(toFile: path, atomically: true, encoding: .utf8)
            return try ConfigLoader(environment: ["HOME": home.path]).load(explicitPath: path).config.recovery.notFoundAfter
        }
        #expect(try ConfigLoader(environment: ["HOME": home.path]).load().config.recovery.notFoundAfter == .seconds(900))
        #expect(try load("\"5m\"") == .seconds(300))
        #expect(try load("240") == .seconds(240))
        #expect(try load("\"1h\"") == .seconds(3_600))
        let tooSoon = try #require(throws: ConfigError.self) { try load("\"2m\"") }
        #expect(tooSoon.description.contains("recovery.not_found_after") && tooSoon.description.contains("at least 3 minutes"))
        #expect(throws: ConfigError.self) { try load("\"soon\"") }
        #expect(throws: ConfigError.self) { try load("\"99999999999h\"") }
        let fromEnvironment = try ConfigLoader(environment: ["HOME": home.path, "POSPLUS_RECOVERY_NOT_FOUND_AFTER": "10m"]).load()
        #expect(fromEnvironment.config.recovery.notFoundAfter == .seconds(600))
    }
}

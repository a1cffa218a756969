import Bridge
import Foundation
import Ledger
import Logging
import PosPlusCore
import Terminal
import TestSupport
import Testing

/// The composition root builds what is asked for and nothing more: without Jobber settings the
/// payment service still exists (reversals, card saves, recovery need no Jobber), and only a
/// charge's check fails, naming the settings it misses.
@Suite("PosPlusApp")
struct PosPlusAppTests {
    static func app(_ toml: String = "") throws -> PosPlusApp {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("posplus.toml")
        try toml.write(to: file, atomically: true, encoding: .utf8)
        return try PosPlusApp.load(
            configPath: file.path, ledgerPath: folder.appendingPathComponent("ledger/ledger.sqlite").path, families: { _, _ in [:] },
            logger: Logger(label: "t"), ledgerKey: .forTests)
    }

    /// `logging.level` did nothing: the service now logs at the configured level.
    @Test func theServiceLogsAtTheConfiguredLevel() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-level-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("posplus.toml")
        try "[logging]\nlevel = \"debug\"\n".write(to: file, atomically: true, encoding: .utf8)
        var quiet = Logger(label: "t")
        quiet.logLevel = .warning
        func load(_ configured: Bool) throws -> PosPlusApp {
            try PosPlusApp.load(
                configPath: file.path, ledgerPath: folder.appendingPathComponent("l/ledger.sqlite").path, families: { _, _ in [:] },
                logger: quiet, ledgerKey: .forTests, configuredLogLevel: configured)
        }
        #expect(try load(true).logger.logLevel == .debug)
        #expect(try load(false).logger.logLevel == .warning)
    }

    @Test func withoutJobberOnlyTheChargeCheckIsRefusedAndItNamesTheMissingSettings() throws {
        let app = try Self.app()
        let service = try app.paymentService()
        #expect(service.currency == .usd)
        #expect(app.missingJobberSettings == ["jobber.client_id", "jobber.client_secret"])
        let error = try #require(throws: ChargeCheckError.self) { try service.check }
        #expect(
            error.description
                == "A charge is checked against the Jobber invoice first, but jobber.client_id and jobber.client_secret are not set (set POSPLUS_JOBBER_CLIENT_ID and POSPLUS_JOBBER_CLIENT_SECRET, or the configuration file); voids, refunds and card saves work without Jobber."
        )
        _ = try app.recovery()
        #expect(try app.recoveryChannels().isEmpty)
        #expect(try app.outboxHandlers()[JobberWriteBackJob.kind] == nil, "Jobber notes wait in the outbox")
    }

    @Test func withJobberSettingsTheCheckIsBuiltOnceAsked() throws {
        let app = try Self.app(
            """
            [jobber]
            client_id = "id"
            client_secret = "secret"
            """)
        #expect(app.isJobberConfigured)
        _ = try app.paymentService().check
    }

    @Test func theLedgerIsOpenedOncePerProcess() throws {
        let app = try Self.app()
        let first = try app.ledger()
        _ = try first.enqueue(NewOutboxJob(kind: "k", dedupeKey: "d", payload: "{}"))
        #expect(try app.ledger().jobs().count == 1)
    }

    @Test func aPaymentOnAnUnknownChannelSaysHowToNameIt() throws {
        let app = try Self.app()
        let record = try app.ledger().begin(
            PaymentRequest(
                operation: .sale, amount: Money(minorUnits: 100, currency: .usd), intent: .fullBalance, invoiceID: "i1",
                invoiceNumber: "1", clientID: "c", channel: "127.0.0.1:10009"),
            idempotencyKey: try IdempotencyKey("k-1"), operator: "t", owedOnInvoice: Money(minorUnits: 100, currency: .usd)
        ).payment
        #expect(throws: PosPlusAppError.self) { try app.channel(thatTook: record) }
    }
}

import Bridge
import Foundation
import HTTPClient
import Ledger
import PosPlusCore
import TestSupport
import Testing

/// The console in a real browser: Debian's Chromium, driven by Playwright (PyPI) from
/// `Tests/Browser/*.py`, against the real server and simulators of ``APIWorld``. The page's word
/// alone proves nothing: each test then checks the ledger, the terminal's log and Jobber's note.
/// Screenshots of each screen are kept under `.build/console-screenshots/` (printed).
///
/// Without Chromium or Playwright these tests fail (they do not skip): `make deps` installs both.
@Suite("Console in Chromium", .serialized, .timeLimit(.minutes(3)))
struct ConsoleBrowserTests {
    static let chromium = ProcessInfo.processInfo.environment["POSPLUS_CHROMIUM"] ?? "/usr/bin/chromium"
    static let screenshots = ScriptServer.packageRoot.appendingPathComponent(".build/console-screenshots")

    /// Runs `python3 Tests/Browser/<script> <arguments>`; its exit status and everything it printed.
    static func run(_ script: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", ScriptServer.packageRoot.appendingPathComponent("Tests/Browser/\(script)").path] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
    }

    /// Chromium and Playwright are there, or the test fails saying how to get them.
    static func requireBrowser() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: chromium),
            "Chromium is not installed at \(chromium): run `make deps` (Debian's chromium package).")
        let playwright = try await run("console_charge.py", ["--check"])
        try #require(
            playwright.status == 0,
            "Playwright for Python is missing: run `make deps` (it pins playwright from PyPI).\n\(playwright.output)")
    }

    @Test func frontDeskLogsInFinds1043AndADoubleClickOnChargeChargesOnceApproved() async throws {
        try await Self.requireBrowser()
        let world = try await APIWorld.start()
        let folder = Self.screenshots.appendingPathComponent("charge")
        print("console screenshots: \(folder.path)")
        let result = try await Self.run("console_charge.py", [world.server.baseURL, folder.path, "fred", APIWorld.password, "approve"])
        #expect(result.status == 0, "\(result.output)")

        // What happened, from the records rather than the page.
        #expect(world.terminal.terminal.log.count == 1, "one double click, one sale on the terminal")
        let payments = try world.ledger.payments()
        #expect(payments.count == 1)
        let payment = try #require(payments.first)
        #expect(payment.state == .approved && payment.capturedMinor == 123_456 && payment.invoiceNumber == "1043")
        #expect(payment.operator == "fred" && payment.idempotencyKey.hasPrefix("console-1043-"))
        #expect(try await world.app.outboxWorker().runDueJobs() == 1)
        let notes = world.jobber.notes(invoiceNumber: "1043").filter { $0.message.contains("[posplus ") }
        #expect(notes.count == 1 && notes.first?.message.contains("taken by fred") == true, "\(notes.map(\.message))")
        await world.stop()
    }

    @Test func whileTheTerminalWaitsForTheCardThePageSaysSoAndItsCancelReachesTheTerminal() async throws {
        try await Self.requireBrowser()
        let world = try await APIWorld.start()
        world.terminal.inject(.waitForCancel)  // the sale is held until a cancel arrives
        let folder = Self.screenshots.appendingPathComponent("cancel")
        print("console screenshots: \(folder.path)")
        let result = try await Self.run("console_charge.py", [world.server.baseURL, folder.path, "fred", APIWorld.password, "cancel"])
        #expect(result.status == 0, "\(result.output)")

        // The terminal held the sale and answered ABORTED (100002) to the cancel: it keeps no
        // record of a sale it never took, and the one attempt carries its answer.
        #expect(world.terminal.terminal.log.isEmpty, "nothing was charged on the terminal")
        let payments = try world.ledger.payments()
        #expect(payments.map(\.state) == [.declined], "cancelled at the terminal: nothing was charged")
        let payment = try #require(payments.first)
        #expect(payment.invoiceNumber == "1044" && payment.operator == "fred")
        #expect(try world.ledger.attempts(paymentID: payment.id).map(\.resultCode) == ["100002"])
        #expect(try await world.app.outboxWorker().runDueJobs() == 0, "no Jobber note for a decline")
        #expect(world.jobber.notes(invoiceNumber: "1044").filter { $0.message.contains("[posplus ") }.isEmpty)
        await world.stop()
    }

    @Test func aDeclinedPartOf1043SaysDeclinedAndWhatToDoAndNothingIsCharged() async throws {
        try await Self.requireBrowser()
        let world = try await APIWorld.start()
        let folder = Self.screenshots.appendingPathComponent("decline")
        print("console screenshots: \(folder.path)")
        let result = try await Self.run("console_charge.py", [world.server.baseURL, folder.path, "fred", APIWorld.password, "decline"])
        #expect(result.status == 0, "\(result.output)")

        // The simulator declines $20.01: one declined payment of that amount, nothing captured.
        // The terminal keeps its declined sale (DO NOT HONOR) with nothing approved.
        let records = world.terminal.terminal.log
        #expect(records.count == 1 && records.first?.requestedCents == 2_001 && records.first?.approvedCents == 0, "\(records)")
        let payments = try world.ledger.payments()
        #expect(payments.map(\.state) == [.declined])
        let payment = try #require(payments.first)
        #expect(payment.invoiceNumber == "1043" && payment.operator == "fred")
        #expect(payment.requestedMinor == 2_001 && payment.capturedMinor == 0, "\(payment)")
        #expect(try world.ledger.attempts(paymentID: payment.id).count == 1)
        #expect(try await world.app.outboxWorker().runDueJobs() == 0, "no Jobber note for a decline")
        #expect(world.jobber.notes(invoiceNumber: "1043").filter { $0.message.contains("[posplus ") }.isEmpty)
        await world.stop()
    }

    @Test func frontDeskOpensAPaymentsDetailsAndRefundsPartOfItUnderTheThreshold() async throws {
        try await Self.requireBrowser()
        let world = try await APIWorld.start(extra: "[approvals]\nrefund_over = \"50.00\"")
        let folder = Self.screenshots.appendingPathComponent("refund")
        print("console screenshots: \(folder.path)")
        let result = try await Self.run("console_charge.py", [world.server.baseURL, folder.path, "fred", APIWorld.password, "refund"])
        #expect(result.status == 0, "\(result.output)")

        #expect(world.terminal.terminal.log.count == 2, "the sale, then the refund")
        let payments = try world.ledger.payments()
        let sale = try #require(payments.first { $0.operation == .sale })
        #expect(sale.state == .partiallyRefunded && sale.capturedMinor == 8_999 && sale.refundedMinor == 2_000, "\(sale)")
        let refund = try #require(payments.first { $0.operation == .refund })
        #expect(refund.state == .approved && refund.capturedMinor == 2_000 && refund.originalPaymentID == sale.id)
        #expect(refund.operator == "fred" && refund.idempotencyKey.hasPrefix("console-refund-\(sale.id)-"))
        let waiting = try world.ledger.approvals(state: nil)
        #expect(waiting.count == 1 && waiting.first?.state == .waiting, "only the $60.00 refund waits for a manager")
        // The receipt page's Send queued one message for the sale, to the client's preferred channel.
        let sends = try world.ledger.jobs().filter { $0.kind == ReceiptDelivery.kind }
        #expect(sends.count == 1 && sends.first?.paymentID == sale.id && sends.first?.payload.contains("\"to\"") == false, "\(sends)")
        #expect(try world.ledger.auditEvents(paymentID: sale.id).contains { $0.kind == "receipt.request" && $0.actor == "fred" })
        await world.stop()
    }

    @Test func aManagerApprovesAWaitingRefundFromTheQueueAndItRunsAsAsked() async throws {
        try await Self.requireBrowser()
        let world = try await APIWorld.start(extra: "[approvals]\nrefund_over = \"50.00\"")
        let sale = try await world.send(
            as: "fred", .post, "/api/charges", key: "sale-1044", json: #"{"invoice":"1044","terminal":"front-desk"}"#)
        let saleID = try #require((try APIWorld.payment(sale)["id"] as? NSNumber)?.int64Value)
        let asked = try await world.send(
            as: "fred", .post, "/api/payments/\(saleID)/refunds", key: "refund-big",
            json: #"{"amount":{"decimal":"60.00","currency":"USD"}}"#)
        #expect(APIWorld.error(asked)?.code == "approval_required", "\(asked.text)")
        let folder = Self.screenshots.appendingPathComponent("approvals")
        print("console screenshots: \(folder.path)")

        let result = try await Self.run("console_charge.py", [world.server.baseURL, folder.path, "meg", APIWorld.password, "approvals"])
        #expect(result.status == 0, "\(result.output)")

        #expect(world.terminal.terminal.log.count == 2, "the sale, then the approved refund")
        let approval = try #require(try world.ledger.approvals(state: nil).first)
        #expect(approval.state == .approved && approval.decidedBy == "meg" && approval.note == "called back")
        let refund = try #require(try world.ledger.payments().first { $0.id != saleID })
        #expect(refund.operation == .refund && refund.state == .approved && refund.capturedMinor == 6_000)
        #expect(refund.operator == "fred", "the requester's refund, decided by meg")
        await world.stop()
    }

    @Test func thePageAndItsAssetsAreServedWithTheirTypesNoCacheAndAStrictPolicy() async throws {
        let world = try await APIWorld.start()
        for (path, type) in [
            ("/", "text/html"), ("/assets/console.js", "text/javascript"), ("/assets/payment.js", "text/javascript"),
            ("/assets/office.js", "text/javascript"), ("/assets/cards.js", "text/javascript"),
            ("/assets/link.js", "text/javascript"), ("/assets/plans.js", "text/javascript"),
            ("/assets/followups.js", "text/javascript"), ("/assets/console.css", "text/css"),
        ] {
            let response = try await world.send(.get, path)
            #expect(response.status == 200, "\(path)")
            #expect(response.headers["content-type"]?.hasPrefix(type) == true, "\(path): \(response.headers["content-type"] ?? "")")
            #expect(response.headers["cache-control"] == "no-cache", "\(path)")
            let policy = response.headers["content-security-policy"] ?? ""
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && !policy.contains("unsafe"), "\(path)")
            #expect(response.headers["x-content-type-options"] == "nosniff")
        }
        let page = try await world.send(.get, "/").text
        #expect(page.contains(#"<script src="/assets/console.js" defer></script>"#))
        #expect(!page.contains("http://") && !page.contains("https://"), "nothing from another origin")
        await world.stop()
    }
}

import Foundation
import HTTPClient
import JobberSimulator
import Ledger
import PosPlusCore
import Testing

/// The console's office pages in a real browser (``ConsoleBrowserTests`` runs Chromium the same
/// way): a void from a payment's details, and a manager's tour of every main screen — find by
/// name, a saved card charged from the charge panel, today's totals, terminals, the reconcile
/// report, saved cards, approvals. Each test then checks the ledger, the terminal's log and
/// Jobber. Screenshots go to `.build/console-screenshots/<test>/` (the path is printed).
@Suite("Console office pages in Chromium", .serialized, .timeLimit(.minutes(3)))
struct ConsoleOfficeBrowserTests {
    static let ada = Seed.IDs.ada.value

    static func id(_ response: HTTPResponse) throws -> Int64 {
        try #require((try APIWorld.payment(response)["id"] as? NSNumber)?.int64Value, "\(response.text)")
    }

    /// Payment 1: $100.00 of #1043 at the terminal, as fred.
    static func partOf1043(_ world: APIWorld) async throws -> Int64 {
        try id(
            try await world.send(
                as: "fred", .post, "/api/charges", key: "part-1043",
                json: #"{"invoice":"1043","terminal":"front-desk","intent":"partial","amount":{"decimal":"100.00","currency":"USD"}}"#))
    }

    @Test func frontDeskVoidsASaleFromItsDetailsAndAPartlyRefundedOneOffersNoVoid() async throws {
        try await ConsoleBrowserTests.requireBrowser()
        let world = try await APIWorld.start()
        let first = try await Self.partOf1043(world)
        let refund = try await world.send(
            as: "fred", .post, "/api/payments/\(first)/refunds", key: "part-back", json: #"{"amount":{"decimal":"10.00","currency":"USD"}}"#
        )
        #expect(refund.status == 200, "\(refund.text)")
        let folder = ConsoleBrowserTests.screenshots.appendingPathComponent("void")
        print("console screenshots: \(folder.path)")
        let result = try await ConsoleBrowserTests.run(
            "console_office.py", [world.server.baseURL, folder.path, "fred", APIWorld.password, "void"])
        #expect(result.status == 0, "\(result.output)")

        // The terminal took the sale of #1044 and then its void; payment 1 was left alone.
        let log = world.terminal.terminal.log
        #expect(log.count == 4, "sale, refund, sale, void: \(log)")
        let payments = try world.ledger.payments()
        let sale = try #require(payments.first { $0.invoiceNumber == "1044" && $0.operation == .sale })
        #expect(sale.state == .voided && sale.capturedMinor == 8_999 && sale.operator == "fred", "\(sale)")
        let void = try #require(payments.first { $0.operation == .void })
        #expect(void.state == .approved && void.originalPaymentID == sale.id && void.operator == "fred")
        #expect(void.idempotencyKey.hasPrefix("console-void-\(sale.id)-"))
        #expect(try world.ledger.payment(id: first)?.state == .partiallyRefunded)
        #expect(payments.filter { $0.operation == .void }.count == 1, "no void of payment 1 was asked for")
        // Jobber: a voided sale leaves #1044 owing what it did.
        _ = try await world.app.outboxWorker().runDueJobs()
        let invoice = try await world.app.invoiceLookup().invoice(number: "1044")
        #expect(invoice.balance.minorUnits == 8_999, "the void gave the money back: \(invoice.balance)")
        await world.stop()
    }

    @Test func aManagerSeesEveryScreenChargesASavedCardAndTodaysTotalsMatchTheLedger() async throws {
        try await ConsoleBrowserTests.requireBrowser()
        let world = try await APIWorld.start(extra: "[approvals]\nrefund_over = \"50.00\"")
        let first = try await Self.partOf1043(world)
        let saved = try await world.send(
            as: "fred", .post, "/api/cards", key: "save-ada", json: #"{"client":"\#(Self.ada)","terminal":"front-desk"}"#)
        let cardID = try #require(((try APIWorld.object(saved)["card"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
        let waits = try await world.send(
            as: "fred", .post, "/api/payments/\(first)/refunds", key: "big-back", json: #"{"amount":{"decimal":"60.00","currency":"USD"}}"#)
        #expect(APIWorld.error(waits)?.code == "approval_required", "\(waits.text)")
        // The window ends after the payments (it excludes its end), so the report has a day's totals.
        let until = world.clock.date.addingTimeInterval(3_600)
        _ = try await world.app.reconcileService().run(since: nil, until: until, apply: false, actor: "meg")
        let folder = ConsoleBrowserTests.screenshots.appendingPathComponent("tour")
        print("console screenshots: \(folder.path)")

        let result = try await ConsoleBrowserTests.run(
            "console_office.py", [world.server.baseURL, folder.path, "meg", APIWorld.password, "tour"])
        #expect(result.status == 0, "\(result.output)")

        // The saved card was charged for #1044 by meg, on the terminal it was saved on.
        let payments = try world.ledger.payments()
        let onFile = try #require(payments.first { $0.operation == .tokenSale })
        #expect(onFile.state == .approved && onFile.invoiceNumber == "1044" && onFile.capturedMinor == 8_999, "\(onFile)")
        #expect(onFile.operator == "meg" && onFile.idempotencyKey.hasPrefix("console-1044-"))
        #expect(world.terminal.terminal.log.count == 4, "the part of #1043, saving a card, the saved-card sale, saving a new card")
        // The totals the page showed are the ledger's sums for the day.
        let taken = payments.filter { $0.operation.collectsMoney && $0.state.holdsCapturedFunds }.map(\.capturedMinor).reduce(0, +)
        let line = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("TOTALS ") }, "\(result.output)")
        let expected = Money(minorUnits: taken, currency: .usd).formatted
        #expect(line == "TOTALS charges=2 taken=\(expected) refunded=$0.00 net=\(expected)", "ledger took \(expected)")
        // The first card is gone, removed by meg, and a new one saved by her; the refund still waits.
        let listed = try world.ledger.cards(clientID: Self.ada)
        #expect(listed.count == 1 && listed.first?.id != cardID, "\(listed)")
        #expect(payments.filter { $0.operation == .tokenize }.map(\.operator).sorted() == ["fred", "meg"])
        #expect(try world.ledger.card(id: cardID) != nil, "kept for the record, no longer listed")
        #expect(try world.ledger.auditEvents().contains { $0.kind == "card.remove" && $0.actor == "meg" })
        #expect(try world.ledger.approvals(state: nil).map(\.state) == [.waiting])
        // Jobber hears of the saved-card payment.
        #expect(try await world.app.outboxWorker().runDueJobs() >= 1)
        let notes = world.jobber.notes(invoiceNumber: "1044").filter { $0.message.contains("[posplus ") }
        #expect(notes.count == 1 && notes.first?.message.contains("taken by meg") == true, "\(notes.map(\.message))")
        await world.stop()
    }
}

import Bridge
import Foundation
import HTTPClient
import JobberSimulator
import Ledger
import Logging
import PosPlusCore
import Server
import Testing

/// Looking things up through the staff API (invoices, quotes, terminals, the reconcile report),
/// and payment links: a technician sends them and sees only their own.
@Suite("Staff API: look-ups, terminals, links", .timeLimit(.minutes(2)))
struct APILookupAndLinkTests {
    @Test func aTechnicianLooksUpAnInvoiceByNumberByNameAndAClientsOpenOnes() async throws {
        let world = try await APIWorld.start()
        let invoice = try APIWorld.object(try await world.send(as: "tess", .get, "/api/invoices/1043"))
        #expect(invoice["number"] as? String == "1043" && invoice["payable"] as? Bool == true && invoice["status"] as? String == "past_due")
        #expect(APIWorld.minor(invoice["balance"]) == 123_456)
        #expect((invoice["balance"] as? [String: Any])?["decimal"] as? String == "1234.56")
        #expect((invoice["balance"] as? [String: Any])?["formatted"] as? String == "$1,234.56")

        let found = try APIWorld.object(try await world.send(as: "tess", .get, "/api/invoices?search=hopper"))
        #expect(Set(((found["invoices"] as? [[String: Any]]) ?? []).compactMap { $0["number"] as? String }) == ["1050", "1051"])
        let open = try APIWorld.object(try await world.send(as: "tess", .get, "/api/invoices?client=\(Seed.IDs.ada.value)"))
        #expect(((open["invoices"] as? [[String: Any]]) ?? []).compactMap { $0["number"] as? String } == ["1043", "1042", "1044"])

        let missing = try await world.send(as: "tess", .get, "/api/invoices/9999")
        #expect(missing.status == 404 && APIWorld.error(missing)?.message == "Jobber has no invoice #9999.")
        let neither = try await world.send(as: "tess", .get, "/api/invoices")
        #expect(neither.status == 400 && APIWorld.error(neither)?.message.contains("?client=ID") == true)

        let quote = try APIWorld.object(try await world.send(as: "tess", .get, "/api/quotes/\(Seed.IDs.quote(78).value)"))
        #expect(quote["number"] as? String == "78" && APIWorld.minor(quote["depositToCollect"]) == 30_000)
        await world.stop()
    }

    @Test func aTechnicianSeesAndCancelsOnlyTheirOwnLinksAndOneKeySendsOneLink() async throws {
        let world = try await APIWorld.start()
        let tess = try await world.login("tess")
        let tessHeaders = [("Cookie", tess.cookie), ("X-CSRF-Token", tess.csrf)]
        let sent = try await world.send(
            .post, "/api/links", headers: tessHeaders + [("Idempotency-Key", "tess-1042")],
            json: #"{"invoice":"1042","sms":"+15555550101"}"#)
        #expect(sent.status == 200, "\(sent.text)")
        let tessLink = try APIWorld.object(sent)
        #expect(
            tessLink["sentBy"] as? String == "tess" && tessLink["state"] as? String == "open" && APIWorld.minor(tessLink["amount"]) == 460)
        let twice = try await world.send(
            .post, "/api/links", headers: tessHeaders + [("Idempotency-Key", "tess-1042")],
            json: #"{"invoice":"1042","sms":"+15555550101"}"#)
        #expect(twice.status == 200 && twice.text == sent.text, "a double tap sends one link")
        let tomLink = try APIWorld.object(
            try await world.send(as: "tom", .post, "/api/links", key: "tom-1043", json: #"{"invoice":"1043","email":"ada@example.com"}"#))
        #expect(try world.ledger.links().count == 2 && world.ledger.jobs().count == 2)

        let tessList = try APIWorld.object(try await world.send(.get, "/api/links", headers: [("Cookie", tess.cookie)]))
        #expect(((tessList["links"] as? [[String: Any]]) ?? []).map { $0["id"] as? NSNumber } == [tessLink["id"] as? NSNumber])
        let tomsID = try #require(tomLink["id"] as? NSNumber)
        let peek = try await world.send(.get, "/api/links/\(tomsID)", headers: [("Cookie", tess.cookie)])
        #expect(peek.status == 403 && APIWorld.error(peek)?.code == "not_your_link")
        let cancelOthers = try await world.send(.post, "/api/links/\(tomsID)/cancel", headers: tessHeaders)
        #expect(cancelOthers.status == 403)
        let deskList = try APIWorld.object(try await world.send(as: "fred", .get, "/api/links"))
        #expect((deskList["links"] as? [Any])?.count == 2, "the front desk sees every link")

        let cancelled = try await world.send(.post, "/api/links/\(tessLink["id"] as? NSNumber ?? 0)/cancel", headers: tessHeaders)
        #expect(try cancelled.status == 200 && APIWorld.object(cancelled)["state"] as? String == "cancelled", "\(cancelled.text)")
        #expect(try world.ledger.auditEvents().contains { $0.kind == "link.cancelled" && $0.actor == "tess" })
        await world.stop()
    }

    @Test func terminalsAreListedAndCheckedThroughTheirSupervisor() async throws {
        let world = try await APIWorld.start()
        let list = try APIWorld.object(try await world.send(as: "fred", .get, "/api/terminals"))
        #expect(((list["terminals"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String } == ["front-desk"])
        let health = try APIWorld.object(try await world.send(as: "fred", .get, "/api/terminals/front-desk/health"))
        #expect(health["state"] as? String == "ready" && (health["serialNumber"] as? String)?.isEmpty == false, "\(health)")
        let unknown = try await world.send(as: "fred", .get, "/api/terminals/back-room/health")
        #expect(unknown.status == 404 && APIWorld.error(unknown)?.code == "unknown_terminal")
        await world.stop()
    }

    @Test func theLastReconcileReportIsShownOnceOneHasRun() async throws {
        let world = try await APIWorld.start()
        let none = try await world.send(as: "meg", .get, "/api/reconcile/last")
        #expect(none.status == 404 && APIWorld.error(none)?.code == "no_report")
        _ = try await world.app.reconcileService().run(since: nil, until: world.clock.date, apply: false, actor: "meg")
        let last = try APIWorld.object(try await world.send(as: "meg", .get, "/api/reconcile/last"))
        #expect(last["actor"] as? String == "meg" && last["report"] is [String: Any], "\(last)")
        await world.stop()
    }
    /// Where Jobber or Stripe is not set up, the routes that need them say which settings are
    /// missing (503), in words about what was asked.
    @Test func routesNeedingAServiceThatIsNotSetUpSaySo() async throws {
        let app = try PosPlusAppTests.app("[staff]\nbcrypt_cost = 4")
        _ = try await app.staffDirectory().add("fred", role: .frontDesk, password: try StaffPassword("correct horse"), by: "test")
        let token = try app.apiTokens().create(for: "fred", label: "t", by: "test").token.text
        let server = try await PosPlusServer(
            jobberInbox: nil, logger: Logger(label: "t"),
            staff: StaffAccess(sessions: try app.staffSessions(), tokens: try app.apiTokens()),
            app: app
        ).start(port: 0)
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        let auth = ("Authorization", "Bearer \(token)")
        let invoice = try await http.send(HTTPRequest(.get, server.baseURL + "/api/invoices/1043", headers: [auth]))
        #expect(invoice.status == 503 && APIWorld.error(invoice)?.code == "jobber_not_configured")
        #expect(
            APIWorld.error(invoice)?.message.hasPrefix(
                "Looking up invoices and quotes needs Jobber, but jobber.client_id and jobber.client_secret are not set") == true)
        let link = try await http.send(
            HTTPRequest(
                .post, server.baseURL + "/api/links", headers: [auth, ("Idempotency-Key", "l-1"), ("Content-Type", "application/json")],
                body: Array(#"{"invoice":"1043","sms":"+15555550101"}"#.utf8)))
        #expect(link.status == 503 && APIWorld.error(link)?.code == "processor_not_configured", "\(link.text)")
        let charge = try await http.send(
            HTTPRequest(
                .post, server.baseURL + "/api/charges", headers: [auth, ("Idempotency-Key", "c-1"), ("Content-Type", "application/json")],
                body: Array(#"{"invoice":"1043","terminal":"front-desk"}"#.utf8)))
        #expect(charge.status == 404 && APIWorld.error(charge)?.code == "unknown_terminal", "no terminals are configured: \(charge.text)")
        await server.stop()
    }
}

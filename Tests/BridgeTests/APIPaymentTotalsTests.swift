import Foundation
import HTTPClient
import JobberSimulator
import Ledger
import PosPlusCore
import Testing

/// `GET /api/payments/totals`: the day's money added up from the ledger, to the cent, for the
/// front desk's drawer and the manager's sheet.
@Suite("Staff API: the day's totals", .timeLimit(.minutes(2)))
struct APIPaymentTotalsTests {
    static let ada = Seed.IDs.ada.value

    static func line(_ totals: [String: Any], _ group: String, _ key: String) -> [String: Any]? {
        (totals[group] as? [[String: Any]])?.first { $0["key"] as? String == key }
    }

    @Test func theDayIsAddedUpByTerminalAndMethodLeavingOutVoidsDeclinesAndOtherDays() async throws {
        let world = try await APIWorld.start()
        func post(_ path: String, _ key: String, _ body: String? = nil) async throws -> HTTPResponse {
            try await world.send(as: "fred", .post, path, key: key, json: body)
        }
        let part =
            #"{"invoice":"1043","terminal":"front-desk","intent":"partial","splitTender":true,"amount":{"decimal":"%@","currency":"USD"}}"#
        // A part of #1043 at the terminal, $20.00 of it refunded.
        let sale = try await post("/api/charges", "t-sale", part.replacingOccurrences(of: "%@", with: "100.00"))
        let saleID = try #require((try APIWorld.payment(sale)["id"] as? NSNumber)?.int64Value)
        #expect(
            try await post("/api/payments/\(saleID)/refunds", "t-refund", #"{"amount":{"decimal":"20.00","currency":"USD"}}"#).status == 200
        )
        // #1044 on Ada's saved card.
        let saved = try await post("/api/cards", "t-save", #"{"client":"\#(Self.ada)","terminal":"front-desk"}"#)
        let cardID = try #require(((try APIWorld.object(saved)["card"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
        let onFile = try await post("/api/charges", "t-saved", #"{"invoice":"1044","method":"savedCard","cardID":\#(cardID)}"#)
        #expect(onFile.status == 200, "\(onFile.text)")
        // $50.00 taken then voided, and $20.01 declined: neither adds money.
        let voided = try await post("/api/charges", "t-void-me", part.replacingOccurrences(of: "%@", with: "50.00"))
        let voidedID = try #require((try APIWorld.payment(voided)["id"] as? NSNumber)?.int64Value)
        #expect(try await post("/api/payments/\(voidedID)/void", "t-void").status == 200)
        #expect(try await post("/api/charges", "t-decline", part.replacingOccurrences(of: "%@", with: "20.01")).status == 402)

        let answer = try await world.send(as: "meg", .get, "/api/payments/totals")
        #expect(answer.status == 200, "\(answer.text)")
        let totals = try APIWorld.object(answer)
        #expect(totals["day"] as? String == "2026-12-01" && totals["currency"] as? String == "USD")
        #expect(totals["declined"] as? Int == 1 && totals["notSureYet"] as? Int == 0)
        let all = try #require(totals["all"] as? [String: Any])
        #expect(all["charges"] as? Int == 2 && all["refunds"] as? Int == 1 && all["voided"] as? Int == 1, "\(all)")
        #expect(APIWorld.minor(all["taken"]) == 18_999 && APIWorld.minor(all["refunded"]) == 2_000 && APIWorld.minor(all["net"]) == 16_999)
        #expect((all["net"] as? [String: Any])?["formatted"] as? String == "$169.99")
        let desk = try #require(Self.line(totals, "byTerminal", "front-desk"))
        #expect(APIWorld.minor(desk["net"]) == 16_999 && desk["label"] as? String == "Terminal front-desk")
        let card = try #require(Self.line(totals, "byMethod", "card"))
        #expect(card["charges"] as? Int == 1 && card["voided"] as? Int == 1 && APIWorld.minor(card["net"]) == 8_000, "\(card)")
        let onCard = try #require(Self.line(totals, "byMethod", "savedCard"))
        #expect(onCard["charges"] as? Int == 1 && APIWorld.minor(onCard["taken"]) == 8_999, "\(onCard)")

        // The same sums as the ledger's own rows of the day.
        let rows = try world.ledger.payments()
        let taken = rows.filter { $0.operation.collectsMoney && $0.state.holdsCapturedFunds }.map(\.capturedMinor).reduce(0, +)
        let refunded = rows.filter { $0.operation == .refund && $0.state == .approved }.map(\.capturedMinor).reduce(0, +)
        #expect(APIWorld.minor(all["net"]) == taken - refunded)

        let before = try APIWorld.object(try await world.send(as: "fred", .get, "/api/payments/totals?day=2026-11-30"))
        #expect(APIWorld.minor((before["all"] as? [String: Any])?["taken"]) == 0 && (before["byTerminal"] as? [Any])?.isEmpty == true)
        let bad = try await world.send(as: "fred", .get, "/api/payments/totals?day=yesterday")
        #expect(bad.status == 400 && APIWorld.error(bad)?.message.contains("\"day\" takes today or a date") == true, "\(bad.text)")
        await world.stop()
    }

    @Test func theTotalsNeedALoginAndThePaymentsPermission() async throws {
        let world = try await APIWorld.start()
        let anonymous = try await world.send(.get, "/api/payments/totals")
        #expect(anonymous.status == 401 && APIWorld.error(anonymous)?.code == "not_logged_in")
        let technician = try await world.send(as: "tess", .get, "/api/payments/totals")
        #expect(technician.status == 403 && APIWorld.error(technician)?.code == "forbidden")
        let desk = try await world.login("fred")
        #expect(try await world.send(.get, "/api/payments/totals", headers: [("Cookie", desk.cookie)]).status == 200)
        await world.stop()
    }
}

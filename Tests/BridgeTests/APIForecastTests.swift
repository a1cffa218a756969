import Foundation
import HTTPClient
import JobberSimulator
import Ledger
import PosPlusCore
import Testing

/// `GET /api/forecast` and its chart, through a real `serve` over the Jobber simulator's
/// standard account (invoices issued 2026-10-02, Ada's #1045 paid on 10-27: 25 days) on
/// "today", 2026-12-01 15:00 UTC, with a bank debit of #1044 still pending in the ledger.
@Suite("Staff API: the cash-flow forecast", .timeLimit(.minutes(2)))
struct APIForecastTests {
    @Test func managersGetHorizonsDSOAndTheChaseListToTheCent() async throws {
        let world = try await APIWorld.start()
        let debit = try await world.send(
            as: "fred", .post, "/api/charges", key: "f-ach", json: #"{"invoice":"1044","terminal":"front-desk","method":"ach"}"#)
        #expect(try APIWorld.payment(debit)["state"] as? String == "pending", "\(debit.text)")

        let answer = try await world.send(as: "meg", .get, "/api/forecast?days=7,30")
        #expect(answer.status == 200, "\(answer.text)")
        let forecast = try APIWorld.object(answer)
        let horizons = try #require(forecast["horizons"] as? [[String: Any]])
        #expect(horizons.map { $0["days"] as? Int } == [7, 30])
        // Every open invoice is later than Ada's 25 days, so it is expected a week from today
        // (Dec 8, outside 7 days); #1044's $89.99 is the pending debit, settling Dec 7.
        #expect(horizons.map { APIWorld.minor($0["expected"]) } == [8_999, 100_163_924])
        let expected = try #require(forecast["expected"] as? [[String: Any]])
        #expect(expected.first?["source"] as? String == "pendingACH" && expected.first?["date"] as? String == "2026-12-07")
        #expect(!expected.contains { $0["invoiceNumber"] as? String == "1044" }, "the debit covers it")

        let chase = try #require(forecast["chase"] as? [[String: Any]])
        #expect(chase.map { $0["invoiceNumber"] as? String } == ["1050", "1043", "1060", "1042"])
        #expect(chase.first?["reason"] as? String == "$999,999.99, 30 days past due; no paid invoice from this client yet")
        #expect(
            chase[1]["reason"] as? String
                == "$1,234.56, 40 days past due; this client usually pays in 25 days, and this one is older than any they have paid (on time 1 of 5, 20%)"
        )
        // Receivables 1,001,714.24 over 90 days of sales, 1,002,289.64: 89.9 days.
        let dso = try #require(forecast["dsoNow"] as? [String: Any])
        #expect(dso["tenthsOfDays"] as? Int == 899 && dso["text"] as? String == "89.9 days")
        #expect((forecast["dsoTrend"] as? [[String: Any]])?.count == 6)
        #expect((forecast["svg"] as? String)?.hasPrefix("<svg") == true)

        let chart = try await world.send(as: "boss", .get, "/api/forecast/chart.svg")
        #expect(chart.status == 200 && chart.headers["content-type"] == "image/svg+xml; charset=utf-8")
        #expect(chart.text.contains("<polyline class=\"cumulative\""))
        await world.stop()
    }

    @Test func theCounterMayNotSeeItAndBadHorizonsAreRefused() async throws {
        let world = try await APIWorld.start()
        #expect(try await world.send(as: "fred", .get, "/api/forecast").status == 403)
        #expect(try await world.send(as: "tess", .get, "/api/forecast/chart.svg").status == 403)
        let bad = try await world.send(as: "meg", .get, "/api/forecast?days=30,x")
        #expect(bad.status == 400)
        #expect(
            APIWorld.error(bad)?.message == "days takes whole days from 1 to 366, comma-separated, each once: for example days=30,60,90.")
        await world.stop()
    }
}

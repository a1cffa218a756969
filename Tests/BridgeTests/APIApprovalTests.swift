import Bridge
import Foundation
import HTTPClient
import JobberSimulator
import Ledger
import PAXSimulator
import PosPlusCore
import Server
import TestSupport
import Testing

/// Approvals and live status through the staff API, on the real server with the PAX simulator:
/// a refund over the threshold answers 202 with nothing sent, a manager approves it over HTTP
/// and it runs; a charge's progress streams as server-sent events; a cancel reaches the terminal.
@Suite("Staff API: approvals, live status, cancel", .timeLimit(.minutes(2)))
struct APIApprovalTests {
    /// What could not run even once approved is refused at once, with the ledger's sentence,
    /// instead of waiting for a manager: a refund of more than is left, a void of a partly
    /// refunded sale (old enough that a void would need a manager).
    @Test func aReversalThatCannotRunIsRefusedBeforeItWaitsForAManager() async throws {
        let world = try await APIWorld.start(extra: "[approvals]\nrefund_over = \"50.00\"\nvoid_older_than = \"1m\"")
        let sale = try await world.send(
            as: "fred", .post, "/api/charges", key: "sale-1044", json: #"{"invoice":"1044","terminal":"front-desk"}"#)
        let saleID = try #require((try APIWorld.payment(sale)["id"] as? NSNumber)?.int64Value)
        let part = try await world.send(
            as: "fred", .post, "/api/payments/\(saleID)/refunds", key: "refund-part",
            json: #"{"amount":{"decimal":"40.00","currency":"USD"}}"#)
        #expect(part.status == 200, "\(part.text)")
        world.clock.advance(3_600)

        let tooMuch = try await world.send(
            as: "fred", .post, "/api/payments/\(saleID)/refunds", key: "refund-too-much",
            json: #"{"amount":{"decimal":"60.00","currency":"USD"}}"#)
        #expect(tooMuch.status == 409, "\(tooMuch.text)")
        #expect(APIWorld.error(tooMuch)?.message == "Cannot refund $60.00: only $49.99 is left to refund on this payment.")
        let void = try await world.send(as: "fred", .post, "/api/payments/\(saleID)/void", key: "void-late")
        #expect(void.status == 422 && APIWorld.error(void)?.message.contains("partly refunded") == true, "\(void.text)")
        #expect(try world.ledger.approvals(state: nil).isEmpty, "nothing was held for a manager")
        #expect(world.terminal.terminal.log.count == 2, "the sale and the first refund")

        await world.stop()
    }

    @Test func aRefundOverTheThresholdWaitsAndAManagerApprovesItOverHTTP() async throws {
        let world = try await APIWorld.start(extra: "[approvals]\nrefund_over = \"50.00\"")
        let sale = try await world.send(
            as: "fred", .post, "/api/charges", key: "sale-1044", json: #"{"invoice":"1044","terminal":"front-desk"}"#)
        let saleID = try #require((try APIWorld.payment(sale)["id"] as? NSNumber)?.int64Value)

        let asked = try await world.send(
            as: "fred", .post, "/api/payments/\(saleID)/refunds", key: "refund-big",
            json: #"{"amount":{"decimal":"60.00","currency":"USD"}}"#)
        #expect(asked.status == 202, "\(asked.text)")
        #expect(APIWorld.error(asked)?.code == "approval_required")
        let approval = try #require(try APIWorld.object(asked)["approval"] as? [String: Any])
        let approvalID = try #require((approval["id"] as? NSNumber)?.int64Value)
        #expect(approval["state"] as? String == "waiting" && approval["requestedBy"] as? String == "fred")
        #expect((approval["reason"] as? String)?.contains("over the $50.00 that needs a manager") == true)
        #expect(world.terminal.terminal.log.count == 1, "only the sale reached the terminal")

        // The queue is for managers; front desk may not decide, not even someone else's request.
        #expect(try await world.send(as: "fred", .get, "/api/approvals").status == 403)
        let queue = try await world.send(as: "meg", .get, "/api/approvals")
        #expect(queue.status == 200 && queue.text.contains("\"requestedBy\":\"fred\""), "\(queue.text)")
        #expect(try await world.send(as: "fred", .post, "/api/approvals/\(approvalID)/approve").status == 403)

        let approved = try await world.send(as: "meg", .post, "/api/approvals/\(approvalID)/approve", json: #"{"note":"called back"}"#)
        #expect(approved.status == 200, "\(approved.text)")
        let refund = try APIWorld.payment(approved)
        #expect(refund["state"] as? String == "approved" && APIWorld.minor(refund["captured"]) == 6_000)
        #expect(refund["operator"] as? String == "fred", "the requester's refund, decided by meg")
        #expect(world.terminal.terminal.log.count == 2)

        // Fred's retry with his key now finds the refund; nothing runs twice.
        let retried = try await world.send(
            as: "fred", .post, "/api/payments/\(saleID)/refunds", key: "refund-big",
            json: #"{"amount":{"decimal":"60.00","currency":"USD"}}"#)
        let retriedID = try APIWorld.payment(retried)["id"] as? NSNumber
        #expect(retried.status == 200 && retriedID == (refund["id"] as? NSNumber))
        #expect(world.terminal.terminal.log.count == 2)
        let decided = try world.ledger.approval(id: approvalID)
        #expect(decided?.decidedBy == "meg" && decided?.note == "called back")
        await world.stop()
    }

    @Test func aManagerCannotApproveTheirOwnRequestAndADenialIsFinal() async throws {
        let world = try await APIWorld.start(extra: "[approvals]\nrefund_over = \"50.00\"")
        let sale = try await world.send(
            as: "meg", .post, "/api/charges", key: "sale-1044", json: #"{"invoice":"1044","terminal":"front-desk"}"#)
        let saleID = try #require((try APIWorld.payment(sale)["id"] as? NSNumber)?.int64Value)
        let asked = try await world.send(as: "meg", .post, "/api/payments/\(saleID)/refunds", key: "refund-all", json: "{}")
        let approvalID = try #require(((try APIWorld.object(asked)["approval"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)

        let own = try await world.send(as: "meg", .post, "/api/approvals/\(approvalID)/approve")
        #expect(own.status == 409 && APIWorld.error(own)?.code == "approval_refused", "\(own.text)")
        let denied = try await world.send(as: "boss", .post, "/api/approvals/\(approvalID)/deny", json: #"{"note":"already credited"}"#)
        #expect(denied.status == 200 && denied.text.contains("\"state\":\"denied\""), "\(denied.text)")
        let again = try await world.send(as: "meg", .post, "/api/payments/\(saleID)/refunds", key: "refund-all", json: "{}")
        #expect(again.status == 403 && APIWorld.error(again)?.code == "approval_denied", "\(again.text)")
        let card = try await world.send(as: "boss", .post, "/api/approvals/\(approvalID)/deny", json: #"{"note":"4242424242424242"}"#)
        #expect(card.status == 400 && APIWorld.error(card)?.code == "invalid_note")
        #expect(world.terminal.terminal.log.count == 1)
        await world.stop()
    }

    @Test func aChargesProgressStreamsAndACancelReachesTheTerminal() async throws {
        let world = try await APIWorld.start()
        world.terminal.inject(.waitForCancel)
        let charging = Task {
            try await world.send(as: "fred", .post, "/api/charges", key: "live-1044", json: #"{"invoice":"1044","terminal":"front-desk"}"#)
        }
        await world.terminal.waitUntilHolding()  // the terminal has the sale and waits for the card
        let cancel = try await world.send(as: "fred", .post, "/api/charges/live-1044/cancel")
        #expect(cancel.status == 202, "\(cancel.text)")
        let answer = try await charging.value
        #expect(answer.status == 402, "cancelled at the terminal: nothing was charged. \(answer.text)")

        // The stream, read after the fact (a reload), tells the whole story and ends.
        let events = try await world.send(as: "fred", .get, "/api/charges/live-1044/events")
        #expect(events.status == 200 && events.headers["content-type"] == "text/event-stream")
        let stages = events.text.split(separator: "\n").filter { $0.hasPrefix("data: ") }.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any])?["stage"] as? String
        }
        #expect(stages == ["sent", "waitingForCard", "answered"], "\(events.text)")
        #expect(events.text.contains("\"state\":\"declined\""))

        let late = try await world.send(as: "fred", .post, "/api/charges/live-1044/cancel")
        #expect(late.status == 409 && APIWorld.error(late)?.code == "already_answered")
        #expect(try await world.send(as: "tess", .get, "/api/charges/live-1044/events").status == 403)
        await world.stop()
    }
}

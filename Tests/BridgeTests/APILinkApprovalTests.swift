import Bridge
import Foundation
import HTTPClient
import Ledger
import PosPlusCore
import Server
import TestSupport
import Testing

/// A link over `approvals.link_over` through the staff API: 202 `approval_required` with nothing
/// sent, shown to the technician who asked (and to nobody else of that role) as held, approved by
/// a manager over HTTP, then sent under the technician's key — or denied, and said so.
@Suite("Staff API: payment links held for a manager", .timeLimit(.minutes(2)))
struct APILinkApprovalTests {
    static let big = #"{"invoice":"1043","sms":"+15555550101"}"#

    static func held(_ response: HTTPResponse) throws -> [[String: Any]] {
        try APIWorld.object(response)["held"] as? [[String: Any]] ?? []
    }

    static func links(_ response: HTTPResponse) throws -> [[String: Any]] {
        try APIWorld.object(response)["links"] as? [[String: Any]] ?? []
    }

    @Test func aLinkOverTheThresholdAnswers202AndAManagerSendsItAsAsked() async throws {
        let world = try await APIWorld.start(extra: "[approvals]\nlink_over = \"1000.00\"")
        let asked = try await world.send(as: "tess", .post, "/api/links", key: "tess-big", json: Self.big)
        #expect(asked.status == 202 && APIWorld.error(asked)?.code == "approval_required", "\(asked.text)")
        let approval = try #require(try APIWorld.object(asked)["approval"] as? [String: Any])
        let id = try #require((approval["id"] as? NSNumber)?.int64Value)
        #expect(approval["kind"] as? String == "link" && approval["requestedBy"] as? String == "tess")
        #expect(APIWorld.error(asked)?.message.contains("payment link for $1,234.56 on invoice #1043") == true)
        #expect(try world.ledger.links().isEmpty && world.ledger.jobs().isEmpty, "nothing created, nothing queued")

        // Tess sees it held; tom (also a technician) does not, even asking for everyone's.
        let tessList = try await world.send(as: "tess", .get, "/api/links")
        #expect(try Self.held(tessList).map { $0["id"] as? NSNumber } == [NSNumber(value: id)], "\(tessList.text)")
        #expect(try Self.links(tessList).isEmpty)
        #expect(try Self.held(try await world.send(as: "tom", .get, "/api/links?mine=false")).isEmpty)
        #expect(try Self.held(try await world.send(as: "fred", .get, "/api/links")).count == 1, "the front desk sees all")

        // Tess may not see the queue or decide; meg approves and the link is sent as tess's.
        #expect(try await world.send(as: "tess", .post, "/api/approvals/\(id)/approve").status == 403)
        let approved = try await world.send(as: "meg", .post, "/api/approvals/\(id)/approve", json: #"{"note":"agreed on site"}"#)
        #expect(approved.status == 200, "\(approved.text)")
        let link = try #require(try APIWorld.object(approved)["link"] as? [String: Any])
        #expect(link["sentBy"] as? String == "tess" && APIWorld.minor(link["amount"]) == 123_456 && link["state"] as? String == "open")
        let decided = try #require(try APIWorld.object(approved)["approval"] as? [String: Any])
        #expect(decided["resultLinkID"] as? NSNumber == link["id"] as? NSNumber && decided["decidedBy"] as? String == "meg")

        // Tess's retry under her key, and meg approving again: the same link, one message.
        let retried = try await world.send(as: "tess", .post, "/api/links", key: "tess-big", json: Self.big)
        let retriedID = try APIWorld.object(retried)["id"] as? NSNumber
        #expect(retried.status == 200 && retriedID == link["id"] as? NSNumber)
        #expect(try await world.send(as: "meg", .post, "/api/approvals/\(id)/approve").status == 200)
        #expect(try world.ledger.links().count == 1 && world.ledger.jobs().count == 1 && world.stripe.paymentLinkCount == 1)
        let after = try await world.send(as: "tess", .get, "/api/links")
        #expect(try Self.held(after).isEmpty && Self.links(after).count == 1)
        await world.stop()
    }

    @Test func aDeniedLinkShowsAsNotSentAndItsKeyIsRefused() async throws {
        let world = try await APIWorld.start(extra: "[approvals]\nlink_over = \"1000.00\"")
        let asked = try await world.send(as: "tess", .post, "/api/links", key: "tess-no", json: Self.big)
        let id = try #require(((try APIWorld.object(asked)["approval"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
        let denied = try await world.send(as: "meg", .post, "/api/approvals/\(id)/deny", json: #"{"note":"call the office"}"#)
        #expect(denied.status == 200, "\(denied.text)")
        let again = try await world.send(as: "tess", .post, "/api/links", key: "tess-no", json: Self.big)
        #expect(again.status == 403 && APIWorld.error(again)?.code == "approval_denied", "\(again.text)")
        let held = try Self.held(try await world.send(as: "tess", .get, "/api/links"))
        #expect(held.count == 1 && held.first?["state"] as? String == "denied" && held.first?["note"] as? String == "call the office")
        #expect(try world.ledger.links().isEmpty && world.stripe.paymentLinkCount == 0)

        // Under the threshold the same technician's link goes straight out.
        let small = try await world.send(
            as: "tess", .post, "/api/links", key: "tess-small", json: #"{"invoice":"1044","sms":"+15555550101"}"#)
        #expect(small.status == 200, "\(small.text)")
        await world.stop()
    }
}

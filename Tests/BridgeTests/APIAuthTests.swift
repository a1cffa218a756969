import Bridge
import Foundation
import HTTPClient
import PosPlusCore
import Server
import Testing

/// Every route of the staff API, walked from its route table on the real server: no one
/// logged in is 401, a role without the route's permission is 403, a state change with a
/// session cookie but without its CSRF token is 403, a money request without an
/// Idempotency-Key is 400 — and none of them reaches the terminal or the ledger.
@Suite("Staff API: every route's auth", .timeLimit(.minutes(2)))
struct APIAuthTests {
    /// The route's path with its parameters filled in (a payment, a card, a link, the terminal).
    static func sample(_ route: APIRoute) -> String {
        route.path.replacingOccurrences(of: "{number}", with: "1043").replacingOccurrences(of: "{id}", with: "1")
            .replacingOccurrences(of: "{name}", with: "front-desk").replacingOccurrences(of: "{key}", with: "desk-1")
    }

    /// A body each state-changing route would accept, so a refusal is the auth's, not the body's.
    static func body(_ route: APIRoute) -> String? {
        switch (route.method, route.path) {
        case (.post, "/api/charges"): #"{"invoice":"1043","terminal":"front-desk"}"#
        case (.post, "/api/cards"): #"{"client":"Z2lkOi8vSm9iYmVyL0NsaWVudC8x","terminal":"front-desk"}"#
        case (.post, "/api/links"): #"{"invoice":"1042","sms":"+15555550101"}"#
        case (.post, _): "{}"
        default: nil
        }
    }

    static func routes(_ world: APIWorld) throws -> [APIRoute] { try #require(world.posplus.staffAPI).routes }

    /// Nothing reached the terminal, and nothing was recorded: no payment, no link.
    static func expectNothingHappened(_ world: APIWorld, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(world.terminal.terminal.log.isEmpty, sourceLocation: sourceLocation)
        #expect(try world.ledger.payments().isEmpty, sourceLocation: sourceLocation)
        #expect(try world.ledger.links().isEmpty, sourceLocation: sourceLocation)
    }

    @Test func onlyLoggingInAndTheDocumentAreOpenToAnyone() async throws {
        let world = try await APIWorld.start()
        let open = try Self.routes(world).filter { $0.access == .anyone }.map(\.description)
        #expect(Set(open) == ["POST /api/session", "GET /api/openapi.json"])
        await world.stop()
    }

    @Test func everyOtherRouteIs401ForNoOne() async throws {
        let world = try await APIWorld.start()
        for route in try Self.routes(world) where route.access != .anyone {
            let answer = try await world.send(APIWorld.method(route), Self.sample(route), json: Self.body(route))
            #expect(answer.status == 401, "\(route)")
            #expect(APIWorld.error(answer)?.code == "not_logged_in", "\(route)")
        }
        try Self.expectNothingHappened(world)
        await world.stop()
    }

    @Test func everyRouteIs403ForARoleWithoutItsPermission() async throws {
        let world = try await APIWorld.start()
        var refusals = 0
        for route in try Self.routes(world) {
            guard case .permission(let permission) = route.access else { continue }
            for (name, role) in APIWorld.people where !role.may(permission) {
                let answer = try await world.send(
                    as: name, APIWorld.method(route), Self.sample(route), key: route.needsIdempotencyKey ? "k-\(name)" : nil,
                    json: Self.body(route))
                #expect(answer.status == 403, "\(role) \(route)")
                #expect(APIWorld.error(answer)?.code == "forbidden", "\(role) \(route)")
                #expect(APIWorld.error(answer)?.message.contains("needs the \(permission) permission") == true, "\(role) \(route)")
                refusals += 1
            }
        }
        // Looking up invoices and sending or seeing one's own links are open to every role:
        // those routes have no role to refuse, and their behaviour tests call them as a technician.
        #expect(refusals >= 20)
        try Self.expectNothingHappened(world)
        await world.stop()
    }

    @Test func everyStateChangeWithASessionCookieNeedsItsCSRFToken() async throws {
        let world = try await APIWorld.start()
        let owner = try await world.login("boss")
        var checked: [String] = []
        for route in try Self.routes(world) where route.access != .anyone && [.post, .delete].contains(route.method) {
            let headers = [("Cookie", owner.cookie), ("Idempotency-Key", "csrf-\(checked.count)")]
            let answer = try await world.send(APIWorld.method(route), Self.sample(route), headers: headers, json: Self.body(route))
            #expect(answer.status == 403, "\(route)")
            #expect(APIWorld.error(answer)?.code == "csrf_rejected", "\(route)")
            checked.append(route.description)
        }
        #expect(
            Set(checked) == [
                "DELETE /api/session", "POST /api/charges", "POST /api/payments/{id}/void", "POST /api/payments/{id}/refunds",
                "POST /api/cards", "DELETE /api/cards/{id}", "POST /api/links", "POST /api/links/{id}/cancel",
                "POST /api/approvals/{id}/approve", "POST /api/approvals/{id}/deny", "POST /api/charges/{key}/cancel",
                "POST /api/payments/{id}/receipt/send", "POST /api/declines/tasks/{id}/done", "POST /api/plans",
            ])
        try Self.expectNothingHappened(world)
        // The same reads with the cookie need no token.
        #expect(try await world.send(.get, "/api/terminals", headers: [("Cookie", owner.cookie)]).status == 200)
        await world.stop()
    }

    @Test func everyMoneyRouteIs400WithoutAnIdempotencyKey() async throws {
        let world = try await APIWorld.start()
        let money = try Self.routes(world).filter(\.needsIdempotencyKey)
        #expect(
            Set(money.map(\.description)) == [
                "POST /api/charges", "POST /api/payments/{id}/void", "POST /api/payments/{id}/refunds", "POST /api/cards",
                "POST /api/links",
            ])
        for route in money {
            let answer = try await world.send(as: "boss", APIWorld.method(route), Self.sample(route), json: Self.body(route))
            #expect(answer.status == 400, "\(route)")
            #expect(APIWorld.error(answer)?.code == "idempotency_key_required", "\(route)")
            #expect(APIWorld.error(answer)?.message.hasPrefix("Send an Idempotency-Key header") == true)
        }
        let bad = try await world.send(as: "boss", .post, "/api/charges", key: "has space", json: #"{"invoice":"1043"}"#)
        #expect(bad.status == 400 && APIWorld.error(bad)?.code == "invalid_idempotency_key")
        try Self.expectNothingHappened(world)
        await world.stop()
    }
}

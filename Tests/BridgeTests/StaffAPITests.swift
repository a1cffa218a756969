import Bridge
import Foundation
import HTTPClient
import HTTPServing
import Ledger
import Logging
import PosPlusCore
import Server
import TestSupport
import Testing

/// The staff API on a real port (127.0.0.1) with the real router: login, the cookie it sets,
/// CSRF on every state change, bearer tokens, and a route per permission answering 401, 403 or
/// 200 for each role.
@Suite("Staff API over HTTP", .timeLimit(.minutes(1)))
struct StaffAPITests {
    /// The service: staff of every role, and probe routes behind the real authenticator.
    struct Service {
        let world: StaffWorld
        let server: RunningHTTPServer
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))

        static func start(secureCookies: Bool = false) async throws -> Service {
            let world = try StaffWorld()
            try await world.add("boss", .owner)
            try await world.add("meg", .manager)
            try await world.add("fred", .frontDesk)
            try await world.add("tess", .technician)
            let access = StaffAccess(sessions: world.sessions, tokens: world.tokens, secureCookies: secureCookies)
            let app = PosPlusServer(jobberInbox: nil, logger: Logger(label: "t"), staff: access)
            let router = app.router()
            let probes = try #require(app.authenticatedAPI(on: router))
            for permission in Permission.allCases {
                probes.get("probe/\(permission.rawValue)") { _, context in
                    try context.require(permission)
                    return "ok"
                }
            }
            probes.post("probe/change") { _, context in
                _ = try context.requireStaff()
                return "changed"
            }
            return Service(world: world, server: try await app.start(port: 0, router: router))
        }

        func send(
            _ method: HTTPRequest.Method, _ path: String, headers: [(name: String, value: String)] = [], body: String? = nil
        ) async throws -> HTTPResponse {
            try await http.send(HTTPRequest(method, server.baseURL + path, headers: headers, body: body.map { Array($0.utf8) }))
        }

        /// Logs in; the cookie header to send back and the CSRF token.
        func login(_ name: String, password: String = "correct horse") async throws -> (
            cookie: String, csrf: String, response: HTTPResponse
        ) {
            let response = try await send(
                .post, "/api/session", headers: [("Content-Type", "application/json")],
                body: #"{"name":"\#(name)","password":"\#(password)"}"#)
            let cookie = String((response.headers["set-cookie"] ?? "").split(separator: ";").first ?? "")
            let csrf = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["csrfToken"] as? String ?? ""
            return (cookie, csrf, response)
        }

        func stop() async {
            await server.stop()
            world.remove()
        }
    }

    static func error(_ response: HTTPResponse) -> (code: String, message: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let error = object["error"] as? [String: Any], let code = error["code"] as? String, let message = error["message"] as? String
        else { return nil }
        return (code, message)
    }

    @Test func aLoginSetsAStrictHttpOnlyCookieAndSaysWhoWithTheCSRFToken() async throws {
        let service = try await Service.start()
        let login = try await service.login("fred")
        #expect(login.response.status == 200)
        let setCookie = try #require(login.response.headers["set-cookie"])
        #expect(setCookie.hasPrefix("posplus_session="))
        #expect(setCookie.contains("; HttpOnly") && setCookie.contains("; SameSite=Strict") && setCookie.contains("; Path=/"))
        #expect(!setCookie.contains("Secure"))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(login.response.body)) as? [String: Any])
        #expect(body["staff"] as? String == "fred")
        #expect(body["role"] as? String == "front-desk")
        #expect((body["csrfToken"] as? String)?.count == 43)
        #expect(body["expiresAt"] is String)
        let me = try await service.send(.get, "/api/me", headers: [("Cookie", login.cookie)])
        #expect(me.status == 200)
        #expect(me.text.contains(#""staff":"fred""#))
        await service.stop()
    }

    @Test func theCookieIsSecureWhenServedOverTLS() async throws {
        let service = try await Service.start(secureCookies: true)
        let login = try await service.login("fred")
        #expect(login.response.headers["set-cookie"]?.hasSuffix("; Secure") == true)
        await service.stop()
    }

    @Test func aWrongLoginIsA401InJSONAndRepeatedOnesA429() async throws {
        let service = try await Service.start()
        let wrong = try await service.login("fred", password: "not it at all")
        #expect(wrong.response.status == 401)
        #expect(Self.error(wrong.response)?.code == "login_refused")
        #expect(wrong.response.headers["set-cookie"] == nil)
        let unknown = try await service.login("nobody", password: "not it at all")
        #expect(unknown.response.status == 401)
        #expect(unknown.response.text == wrong.response.text)
        for _ in 0..<4 { _ = try await service.login("fred", password: "not it at all") }
        let locked = try await service.login("fred")
        #expect(locked.response.status == 429)
        #expect(locked.response.headers["retry-after"] == "900")
        #expect(Self.error(locked.response)?.message.hasPrefix("Too many failed logins for this name") == true)
        let form = try await service.send(
            .post, "/api/session", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "name=fred")
        #expect(form.status == 415)
        await service.stop()
    }

    @Test func aStateChangeWithACookieNeedsTheSessionsCSRFToken() async throws {
        let service = try await Service.start()
        let fred = try await service.login("fred")
        let tess = try await service.login("tess")
        let missing = try await service.send(.post, "/api/probe/change", headers: [("Cookie", fred.cookie)])
        #expect(missing.status == 403)
        #expect(Self.error(missing)?.code == "csrf_rejected")
        let othersToken = try await service.send(
            .post, "/api/probe/change", headers: [("Cookie", fred.cookie), ("X-CSRF-Token", tess.csrf)])
        #expect(othersToken.status == 403)
        let right = try await service.send(.post, "/api/probe/change", headers: [("Cookie", fred.cookie), ("X-CSRF-Token", fred.csrf)])
        #expect(right.status == 200)
        #expect(right.text == "changed")

        let logoutWithout = try await service.send(.delete, "/api/session", headers: [("Cookie", fred.cookie)])
        #expect(logoutWithout.status == 403)
        let logout = try await service.send(.delete, "/api/session", headers: [("Cookie", fred.cookie), ("X-CSRF-Token", fred.csrf)])
        #expect(logout.status == 200)
        #expect(logout.headers["set-cookie"]?.contains("Max-Age=0") == true)
        let after = try await service.send(.get, "/api/me", headers: [("Cookie", fred.cookie)])
        #expect(after.status == 401)
        #expect(Self.error(after)?.code == "session_ended")
        await service.stop()
    }

    @Test func aBearerTokenNeedsNoCSRFAndStopsWhenRevoked() async throws {
        let service = try await Service.start()
        let issued = try service.world.tokens.create(for: "fred", label: "script", by: "boss")
        let bearer = [("Authorization", "Bearer \(issued.token.text)")]
        #expect(try await service.send(.post, "/api/probe/change", headers: bearer).status == 200)
        let me = try await service.send(.get, "/api/me", headers: bearer)
        #expect(me.text.contains(#""via":"token""#))
        _ = try service.world.tokens.revoke(id: issued.record.id, by: "boss")
        let revoked = try await service.send(.post, "/api/probe/change", headers: bearer)
        #expect(revoked.status == 401)
        #expect(Self.error(revoked)?.message == "This API token was revoked; make a new one.")
        #expect(try await service.send(.get, "/api/me", headers: [("Authorization", "Bearer ppt_forged")]).status == 401)
        await service.stop()
    }

    @Test func eachPermissionIs401ForNoOne403ForARoleWithoutIt200ForARoleWithIt() async throws {
        let service = try await Service.start()
        var cookies: [StaffRole: String] = [:]
        for (name, role) in [("boss", StaffRole.owner), ("meg", .manager), ("fred", .frontDesk), ("tess", .technician)] {
            cookies[role] = try await service.login(name).cookie
        }
        for permission in Permission.allCases {
            let path = "/api/probe/\(permission.rawValue)"
            let anonymous = try await service.send(.get, path)
            #expect(anonymous.status == 401, "anonymous \(permission)")
            #expect(Self.error(anonymous)?.code == "not_logged_in")
            for role in StaffRole.allCases {
                let answer = try await service.send(.get, path, headers: [("Cookie", cookies[role]!)])
                #expect(answer.status == (role.may(permission) ? 200 : 403), "\(role) \(permission)")
                if answer.status == 403 { #expect(Self.error(answer)?.code == "forbidden") }
            }
        }
        await service.stop()
    }
}

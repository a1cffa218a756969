import Bridge
import Foundation
import HTTPClient
import Hummingbird
import Server
import Testing

/// `GET /api/openapi.json` is valid JSON in OpenAPI 3.1, and describes exactly the routes the
/// router has — read from Hummingbird's own list of what was registered, not from a copy — with
/// each route's permission and, on money routes, the Idempotency-Key.
@Suite("Staff API: the OpenAPI document", .timeLimit(.minutes(1)))
struct APIDocumentTests {
    static let methods: Set<String> = ["get", "post", "put", "patch", "delete"]

    /// "METHOD /api/path" → the document's operation.
    static func operations(_ document: [String: Any]) -> [String: [String: Any]] {
        var operations: [String: [String: Any]] = [:]
        for (path, item) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for (method, operation) in item where methods.contains(method) {
                operations["\(method.uppercased()) \(path)"] = operation as? [String: Any]
            }
        }
        return operations
    }

    /// What the router answers under `/api`, as "METHOD /api/path".
    static func registered(_ router: Router<ServerContext>) -> Set<String> {
        Set(router.routes.map { "\($0.method.rawValue) \($0.path)" }.filter { $0.contains(" /api/") })
    }

    @Test func theDocumentDescribesExactlyTheRegisteredRoutes() async throws {
        let world = try await APIWorld.start()
        let answer = try await world.send(.get, "/api/openapi.json")
        #expect(answer.status == 200 && answer.headers["content-type"] == "application/json")
        let document = try APIWorld.object(answer)
        #expect(document["openapi"] as? String == "3.1.0")
        let operations = Self.operations(document)
        let router = world.posplus.router()
        let registered = Self.registered(router)
        #expect(registered.count == 40)
        #expect(
            Set(operations.keys) == registered,
            "documented but not registered: \(Set(operations.keys).subtracting(registered)); registered but not documented: \(registered.subtracting(operations.keys))"
        )

        let table = try #require(world.posplus.staffAPI).routes
        #expect(Set(table.map(\.description)) == registered, "the route table is what is registered")
        for route in table {
            let operation = operations[route.description]
            #expect(operation?["x-permission"] as? String == route.access.description, "\(route)")
            let parameters = operation?["parameters"] as? [[String: Any]] ?? []
            let takesKey = parameters.contains { $0["$ref"] as? String == "#/components/parameters/IdempotencyKey" }
            #expect(takesKey == route.needsIdempotencyKey, "\(route)")
            #expect((operation?["security"] as? [Any])?.isEmpty == (route.access == .anyone), "\(route)")
        }

        // The comparison notices a route added without the document.
        router.get("/api/undocumented") { _, _ in "" }
        #expect(Self.registered(router) != Set(operations.keys))
        await world.stop()
    }

    /// Every `$ref` in the document points at something it defines.
    @Test func everyReferenceResolves() async throws {
        let world = try await APIWorld.start()
        let text = try await world.send(.get, "/api/openapi.json").text
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let components = try #require(document["components"] as? [String: [String: Any]])
        let references = text.matches(of: /"\$ref": "#\/components\/([a-zA-Z]+)\/([a-zA-Z]+)"/).map { (String($0.1), String($0.2)) }
        #expect(references.count > 50)
        for (kind, name) in references { #expect(components[kind]?[name] != nil, "\(kind)/\(name)") }
        await world.stop()
    }
}

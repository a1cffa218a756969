import Foundation
import HTTPClient

/// The simulated Stripe account's objects, kept as Stripe's JSON objects so responses have
/// Stripe's shapes (stripe.md §1), with ids in Stripe's style (`pi_…`, `plink_…`, `cs_…`).
///
/// One lock guards everything. Each object remembers its creation order, so lists page in a
/// stable order with `starting_after`.
final class StripeState: @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [String: JSONValue] = [:]
    private var order: [String] = []
    private var counter = 0
    private var requests = 0
    /// Idempotency-Key → (request fingerprint, stored status, stored body).
    private var replies: [String: (fingerprint: String, status: Int, body: String)] = [:]
    let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    var timestamp: Int { Int(now().timeIntervalSince1970) }

    func newID(_ prefix: String) -> String {
        lock.withLock {
            counter += 1
            return "\(prefix)_sim\(String(format: "%010d", counter))"
        }
    }

    func get(_ id: String) -> JSONValue? { lock.withLock { objects[id] } }

    /// API requests answered so far (a benchmark counts what a run costs).
    var requestCount: Int { lock.withLock { requests } }
    func countRequest() { lock.withLock { requests += 1 } }

    func put(_ object: JSONValue) {
        guard let id = object["id"]?.string else { return }
        lock.withLock {
            if objects[id] == nil { order.append(id) }
            objects[id] = object
        }
    }

    /// Changes members of a stored object; returns the object after the change. `change` runs
    /// under the state's lock: it must not call back into the state.
    @discardableResult
    func update(_ id: String, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue? {
        lock.withLock {
            guard case .object(var members)? = objects[id] else { return nil }
            change(&members)
            objects[id] = .object(members)
            return objects[id]
        }
    }

    /// Objects of one kind (`"payment_intent"`), oldest first, that pass `filter`.
    func all(_ kind: String, where filter: (JSONValue) -> Bool = { _ in true }) -> [JSONValue] {
        lock.withLock { order.compactMap { objects[$0] }.filter { $0["object"]?.string == kind && filter($0) } }
    }

    /// Objects of several kinds, oldest first: the order their money moved in.
    func all(of kinds: Set<String>) -> [JSONValue] {
        lock.withLock { order.compactMap { objects[$0] }.filter { kinds.contains($0["object"]?.string ?? "") } }
    }

    /// Stripe's idempotency: the first reply under a key is replayed for the same request,
    /// and a different request under the same key is an error.
    enum Replay {
        case none
        case stored(status: Int, body: String)
        case conflict
    }

    func replay(key: String, fingerprint: String) -> Replay {
        lock.withLock {
            guard let stored = replies[key] else { return .none }
            return stored.fingerprint == fingerprint ? .stored(status: stored.status, body: stored.body) : .conflict
        }
    }

    func store(key: String, fingerprint: String, status: Int, body: String) {
        lock.withLock { replies[key] = (fingerprint, status, body) }
    }

    func clear() {
        lock.withLock {
            objects.removeAll()
            order.removeAll()
            replies.removeAll()
        }
    }
}

/// A Stripe list page: `{"object":"list","data":[…],"has_more":…,"url":…}`.
func listPage(_ items: [JSONValue], url: String, limit: String?, startingAfter: String?) -> JSONValue {
    var remaining = items
    if let startingAfter, let index = items.firstIndex(where: { $0["id"]?.string == startingAfter }) {
        remaining = Array(items[(index + 1)...])
    }
    let size = min(100, max(1, Int(limit ?? "10") ?? 10))
    return .object([
        "object": .string("list"), "data": .array(Array(remaining.prefix(size))), "has_more": .bool(remaining.count > size),
        "url": .string(url),
    ])
}

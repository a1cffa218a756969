import Foundation
import GraphQL

/// Jobber's query cost rules (jobber-api.md §2): every field costs 1, `edges`, `nodes` and
/// `node` cost 0, and a connection multiplies what is inside it by `first`/`last`, or by
/// 100 when neither is given. Arguments for filters and sorting are free.
enum QueryCost {
    static func requested(query: String, variables: [String: Map], operationName: String?) throws -> Int {
        let document = try parse(source: query)
        var fragments: [String: SelectionSet] = [:]
        var operations: [OperationDefinition] = []
        for definition in document.definitions {
            if let fragment = definition as? FragmentDefinition { fragments[fragment.name.value] = fragment.selectionSet }
            if let operation = definition as? OperationDefinition { operations.append(operation) }
        }
        let chosen = operations.first { $0.name?.value == operationName } ?? operations.first
        guard let operation = chosen else { return 0 }
        return cost(of: operation.selectionSet, fragments: fragments, variables: variables, depth: 0)
    }

    private static func cost(of set: SelectionSet, fragments: [String: SelectionSet], variables: [String: Map], depth: Int) -> Int {
        guard depth < 32 else { return 0 }  // a fragment cycle is a validation error; do not loop on it
        var total = 0
        for selection in set.selections {
            if let field = selection as? Field {
                total += cost(of: field, fragments: fragments, variables: variables, depth: depth)
            } else if let spread = selection as? FragmentSpread, let fragment = fragments[spread.name.value] {
                total += cost(of: fragment, fragments: fragments, variables: variables, depth: depth + 1)
            } else if let inline = selection as? InlineFragment {
                total += cost(of: inline.selectionSet, fragments: fragments, variables: variables, depth: depth + 1)
            }
        }
        return total
    }

    private static func cost(of field: Field, fragments: [String: SelectionSet], variables: [String: Map], depth: Int) -> Int {
        let name = field.name.value
        if name.hasPrefix("__") { return 0 }
        let own = ["edges", "nodes", "node"].contains(name) ? 0 : 1
        guard let children = field.selectionSet else { return own }
        let inside = cost(of: children, fragments: fragments, variables: variables, depth: depth + 1)
        if let size = pageSize(field, variables) { return own + size * inside }
        let isConnection = children.selections.contains { ($0 as? Field).map { ["nodes", "edges"].contains($0.name.value) } ?? false }
        return own + (isConnection ? 100 : 1) * inside
    }

    private static func pageSize(_ field: Field, _ variables: [String: Map]) -> Int? {
        for argument in field.arguments where ["first", "last"].contains(argument.name.value) {
            if let literal = argument.value as? IntValue { return Int(literal.value) }
            if let variable = argument.value as? Variable, let value = variables[variable.name.value]?.int { return value }
        }
        return nil
    }
}

/// Jobber's leaky bucket per app and account: 10,000 points, restored at 500 a second. A
/// query whose requested cost exceeds what is available is refused with THROTTLED.
final class CostBucket: @unchecked Sendable {
    struct Status: Sendable {
        var maximumAvailable: Int
        var currentlyAvailable: Int
        var restoreRate: Int
    }

    private let lock = NSLock()
    private var maximum = 10_000
    private var restoreRate = 500
    private var available = 10_000.0
    private var updatedAt: Date
    private let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date) {
        self.now = now
        updatedAt = now()
    }

    /// Takes `cost` points if they are there; returns whether it did and the status after.
    func take(_ cost: Int) -> (allowed: Bool, status: Status) {
        lock.withLock {
            refill()
            let allowed = Double(cost) <= available && cost <= maximum
            if allowed { available -= Double(cost) }
            return (allowed, status)
        }
    }

    /// For tests and demos: set what is available now (and optionally the restore rate).
    func set(available points: Int, restoreRate rate: Int?) {
        lock.withLock {
            refill()
            available = Double(max(0, min(points, maximum)))
            if let rate { restoreRate = max(1, rate) }
        }
    }

    private func refill() {
        let time = now()
        let elapsed = max(0, time.timeIntervalSince(updatedAt))
        available = min(Double(maximum), available + elapsed * Double(restoreRate))
        updatedAt = time
    }

    private var status: Status {
        Status(maximumAvailable: maximum, currentlyAvailable: Int(available.rounded(.down)), restoreRate: restoreRate)
    }
}

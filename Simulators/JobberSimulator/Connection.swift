import Foundation
import GraphQL

/// Relay paging arguments, as every Jobber connection takes them.
struct PageArguments: Codable, Sendable {
    var first: Int?
    var after: String?
    var last: Int?
    var before: String?
}

struct PageInfo: Sendable {
    let startCursor: String?
    let endCursor: String?
    let hasNextPage: Bool
    let hasPreviousPage: Bool
}

struct Edge<Node: Sendable>: Sendable {
    let cursor: String
    let node: Node
}

/// A Relay connection with Jobber's shape: `nodes`, `edges`, `pageInfo`, `totalCount`.
struct Connection<Node: Sendable>: Sendable {
    let edges: [Edge<Node>]
    let pageInfo: PageInfo
    let totalCount: Int

    var nodes: [Node] { edges.map(\.node) }

    /// Jobber's page when no size is given (and what the cost of such a query assumes).
    static var defaultPageSize: Int { 100 }

    /// One page of `all`, cut by `first`/`after` or `last`/`before`. Cursors are opaque
    /// base64 positions; a cursor that is not one of ours is an error, as at Jobber.
    static func page(_ all: [Node], _ arguments: PageArguments) throws -> Connection<Node> {
        var lower = 0
        var upper = all.count
        if let after = arguments.after { lower = max(lower, try position(after) + 1) }
        if let before = arguments.before { upper = min(upper, try position(before)) }
        if let first = arguments.first, first < 0 { throw GraphQLError(message: "Argument 'first' must be non-negative") }
        if let last = arguments.last, last < 0 { throw GraphQLError(message: "Argument 'last' must be non-negative") }
        upper = max(lower, upper)
        var window = lower..<upper
        if let first = arguments.first {
            window = window.lowerBound..<min(window.upperBound, window.lowerBound + first)
        } else if let last = arguments.last {
            window = max(window.lowerBound, window.upperBound - last)..<window.upperBound
        } else {
            window = window.lowerBound..<min(window.upperBound, window.lowerBound + defaultPageSize)
        }
        let edges = window.map { Edge(cursor: cursor(for: $0), node: all[$0]) }
        return Connection(
            edges: edges,
            pageInfo: PageInfo(
                startCursor: edges.first?.cursor, endCursor: edges.last?.cursor, hasNextPage: window.upperBound < upper,
                hasPreviousPage: window.lowerBound > lower),
            totalCount: all.count)
    }

    static func cursor(for index: Int) -> String {
        Data(String(index + 1).utf8).base64EncodedString()
    }

    static func position(_ cursor: String) throws -> Int {
        guard let data = Data(base64Encoded: cursor), let number = Int(String(decoding: data, as: UTF8.self)), number >= 1 else {
            throw GraphQLError(message: "Invalid cursor: \(cursor)")
        }
        return number - 1
    }
}

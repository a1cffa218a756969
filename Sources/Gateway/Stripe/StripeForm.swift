import Foundation
import HTTPClient

/// Stripe's request body: `application/x-www-form-urlencoded` with bracketed keys for nesting
/// (`metadata[invoice]=1042`, `payment_method_types[]=card`, `line_items[0][quantity]=1`).
/// Pairs keep the order they were added in, so a request's text is reproducible (the contract
/// check and the idempotent-replay comparison both read it).
public struct StripeForm: Equatable, Sendable {
    public private(set) var pairs: [(key: String, value: String)] = []

    public init() {}

    /// Adds `key=value`; a nil value adds nothing.
    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        pairs.append((key, value))
    }

    public mutating func add(_ key: String, _ value: Int64) { add(key, String(value)) }
    public mutating func add(_ key: String, _ value: Bool) { add(key, value ? "true" : "false") }

    /// `prefix[k]=v` for each entry, sorted by key.
    public mutating func add(_ prefix: String, dictionary: [String: String]) {
        for key in dictionary.keys.sorted() { add("\(prefix)[\(key)]", dictionary[key]) }
    }

    /// The encoded body (or query string).
    public var encoded: String {
        FormEncoding.encode(pairs)
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public static func == (lhs: StripeForm, rhs: StripeForm) -> Bool { lhs.encoded == rhs.encoded }
}

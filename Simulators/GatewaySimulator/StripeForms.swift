import Foundation

/// A decoded form body or query: bracketed keys kept flat (`metadata[invoice]`), repeated
/// keys (`payment_method_types[]`) kept in order.
struct FormFields: Sendable {
    private(set) var pairs: [(String, String)] = []

    init(_ text: String) {
        for part in text.split(separator: "&") where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            pairs.append((pieces[0], pieces.count > 1 ? pieces[1] : ""))
        }
    }

    subscript(key: String) -> String? { pairs.last { $0.0 == key }?.1 }

    func all(_ key: String) -> [String] { pairs.filter { $0.0 == key }.map(\.1) }

    /// `prefix[k]=v` members as a dictionary.
    func dictionary(_ prefix: String) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in pairs where key.hasPrefix(prefix + "[") && key.hasSuffix("]") {
            let inner = key.dropFirst(prefix.count + 1).dropLast()
            if !inner.contains("[") { result[String(inner)] = value }
        }
        return result
    }

    /// Keys, for refusing unknown parameters as Stripe does.
    var keys: [String] { pairs.map(\.0) }
}

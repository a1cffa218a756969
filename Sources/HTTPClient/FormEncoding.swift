import Foundation

/// `application/x-www-form-urlencoded`, as OAuth token endpoints, Stripe and SMS APIs take it:
/// everything but the RFC 3986 unreserved characters (ASCII letters, digits, `-._~`) is
/// percent-encoded, so non-ASCII text goes out as escaped UTF-8 rather than raw bytes.
public enum FormEncoding {
    private static let unreserved: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        set.insert(charactersIn: "-._~")
        return set
    }()

    public static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `key=value&…` in the order given.
    public static func encode(_ pairs: [(key: String, value: String)]) -> String {
        pairs.map { escape($0.key) + "=" + escape($0.value) }.joined(separator: "&")
    }
}

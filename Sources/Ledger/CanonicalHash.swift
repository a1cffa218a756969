import Crypto

/// SHA-256 over a list of text fields, each prefixed with its UTF-8 length (`"5:hello"`), as
/// lower-case hex. The prefix makes the encoding unambiguous: `["ab", "c"]` and `["a", "bc"]`
/// hash differently. Used for the audit chain, for idempotency fingerprints, and by callers
/// that need a stable name derived from outside ids.
public enum CanonicalHash {
    public static func sha256Hex(_ fields: [String]) -> String {
        var hasher = SHA256()
        for field in fields {
            let bytes = Array(field.utf8)
            hasher.update(data: Array("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        return hex(hasher.finalize())
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Hex without Foundation's `String(format:)`, which costs microseconds per byte.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

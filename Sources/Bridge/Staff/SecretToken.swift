import Crypto
import Foundation
import PosPlusCore

/// A random secret handed to a browser (session cookie) or a script (API token), and the
/// SHA-256 the ledger keeps instead of it.
///
/// 32 bytes from the system's CSPRNG (swift-crypto's `SymmetricKey`), written as unpadded
/// base64url: 43 characters, safe in a cookie and a header. A token carries a `ppt_` prefix so
/// one pasted somewhere it should not be is recognisable (and greppable by secret scanners).
public struct SecretToken: Sendable, Equatable, CustomStringConvertible {
    public let text: String

    public static let apiTokenPrefix = "ppt_"
    static let encodedLength = 43

    /// A fresh secret; `prefix` is "" for a session, ``apiTokenPrefix`` for an API token.
    public static func random(prefix: String = "") -> SecretToken {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return SecretToken(text: prefix + Base64URL.encode(bytes))
    }

    /// Parses a presented secret, checking only its shape (cheap, before any look-up).
    public init?(presented: String, prefix: String = "") {
        guard presented.hasPrefix(prefix) else { return nil }
        let body = presented.dropFirst(prefix.count)
        guard body.utf8.count == Self.encodedLength, body.utf8.allSatisfy(Base64URL.isDigit) else { return nil }
        text = presented
    }

    private init(text: String) { self.text = text }

    /// What the ledger stores and looks up: SHA-256 of the text, in hex.
    public var hash: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in SHA256.hash(data: Data(text.utf8)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The secret's bytes, as a key for deriving from it (CSRF).
    var key: SymmetricKey { SymmetricKey(data: Data(text.utf8)) }

    public var description: String { "<redacted>" }
}

/// RFC 4648 §5 base64url without padding.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}

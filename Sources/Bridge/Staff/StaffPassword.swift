import PosPlusCore

/// A new password, checked before it is hashed. Held as a ``Secret`` so it never prints.
///
/// 8 to 72 bytes of UTF-8: bcrypt reads only the first 72 bytes, so a longer one would be
/// accepted while part of it counted for nothing. No control characters: bcrypt takes a C
/// string, and a NUL would silently end the password there.
public struct StaffPassword: Sendable {
    public let secret: Secret<String>

    public static let bytes = 8...72

    public init(_ text: String) throws(StaffError) {
        guard Self.bytes.contains(text.utf8.count) else {
            throw .weakPassword(
                "A password must be 8 to 72 bytes long (about 8 to 72 letters); this one is \(text.utf8.count < 8 ? "shorter" : "longer").")
        }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .weakPassword("A password must not contain control characters such as tabs or line breaks.")
        }
        guard !text.allSatisfy(\.isWhitespace) else { throw .weakPassword("A password must not be only spaces.") }
        secret = Secret(text)
    }
}

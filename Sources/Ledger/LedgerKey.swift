import Crypto
import Foundation

/// The one secret kept outside the ledger: it encrypts the secrets stored in it (Jobber tokens)
/// and keys the audit chain's MACs.
///
/// Why outside: a backup or copy of the ledger file must reveal no live token, and whoever
/// holds the file must not be able to rewrite the audit log and recompute its chain. Both hold
/// only while the key is somewhere the file is not.
///
/// Where it comes from, first found wins (see ``resolve(environment:)``):
/// 1. `$POSPLUS_LEDGER_KEY`: 32 bytes, base64.
/// 2. `$CREDENTIALS_DIRECTORY/posplus-ledger-key` (systemd `LoadCredential=`): 32 raw bytes or
///    their base64.
/// 3. `$XDG_CONFIG_HOME/posplus/ledger.key` (or `~/.config/posplus/ledger.key`), created 0600
///    with random bytes on first use.
///
/// Two keys are derived from it with HKDF under distinct info strings, so the AEAD key and the
/// MAC key are never the same bytes; a third derivation gives a check value that the ledger
/// stores to tell "wrong key" apart from "tampered".
public struct LedgerKey: Sendable {
    /// Where this key was found, for messages and for `posplus ledger rotate-key`.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case environment
        case credentials(path: String)
        case file(path: String)
        /// Built from bytes in code (tests, rotation).
        case bytes

        public var description: String {
            switch self {
            case .environment: return "$\(LedgerKey.environmentName)"
            case .credentials(let path), .file(let path): return path
            case .bytes: return "bytes given in code"
            }
        }
    }

    public static let environmentName = "POSPLUS_LEDGER_KEY"
    public static let credentialName = "posplus-ledger-key"
    public static let byteCount = 32

    public let source: Source
    // Bytes, not `SymmetricKey`s: swift-crypto's key type is not Sendable, and a key is shared
    // by every task that writes the ledger.
    private let rawBytes: Data
    private let secretsBytes: Data
    private let auditBytes: Data
    /// ChaChaPoly key for stored secrets.
    var secretsKey: SymmetricKey { SymmetricKey(data: secretsBytes) }
    /// HMAC-SHA256 key for the audit chain.
    var auditKey: SymmetricKey { SymmetricKey(data: auditBytes) }
    /// A MAC of a fixed text under its own derived key: names this key without revealing it.
    public let check: String

    /// A key from exactly ``byteCount`` bytes.
    public init(bytes: some ContiguousBytes, source: Source = .bytes) throws(LedgerKeyError) {
        let data = bytes.withUnsafeBytes { Data($0) }
        guard data.count == Self.byteCount else { throw .wrongLength(source: source.description, count: data.count) }
        self.source = source
        rawBytes = data
        let rawKey = SymmetricKey(data: data)
        secretsBytes = Self.derive(rawKey, info: "posplus ledger secrets v1").withUnsafeBytes { Data($0) }
        auditBytes = Self.derive(rawKey, info: "posplus audit chain v1").withUnsafeBytes { Data($0) }
        let checkKey = Self.derive(rawKey, info: "posplus ledger key check v1")
        check = CanonicalHash.hex(HMAC<SHA256>.authenticationCode(for: Array("posplus ledger key".utf8), using: checkKey))
    }

    /// A new random key.
    public static func generate() -> LedgerKey {
        // swift-crypto draws from the system's secure random source.
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return try! LedgerKey(bytes: bytes)  // 32 bytes by construction
    }

    /// The key as base64, for writing a key file or `$POSPLUS_LEDGER_KEY`.
    public var base64: String { rawBytes.base64EncodedString() }

    private static func derive(_ key: SymmetricKey, info: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, salt: Array("posplus".utf8), info: Array(info.utf8), outputByteCount: byteCount)
    }

    /// `$XDG_CONFIG_HOME/posplus/ledger.key`, or `~/.config/posplus/ledger.key`: the config
    /// folder, not the data folder the ledger lives in, so a backup of one is not the other.
    public static func defaultFilePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let configHome =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return configHome + "/posplus/ledger.key"
    }

    /// The key this environment names (see the type's notes), creating the key file on first use.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(LedgerKeyError) -> LedgerKey {
        if let text = environment[environmentName], !text.isEmpty {
            return try decode(text, source: .environment)
        }
        if let folder = environment["CREDENTIALS_DIRECTORY"], !folder.isEmpty {
            let path = folder + "/" + credentialName
            if let data = FileManager.default.contents(atPath: path) {
                if data.count == byteCount { return try LedgerKey(bytes: data, source: .credentials(path: path)) }
                return try decode(String(decoding: data, as: UTF8.self), source: .credentials(path: path))
            }
        }
        return try LedgerKeyFile.loadOrCreate(defaultFilePath(environment: environment))
    }

    static func decode(_ text: String, source: Source) throws(LedgerKeyError) -> LedgerKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else { throw .notBase64(source: source.description) }
        return try LedgerKey(bytes: data, source: source)
    }
}

/// Why no key could be had. Each case is a sentence naming where and what to do.
public enum LedgerKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(source: String, count: Int)
    case notBase64(source: String)
    case file(path: String, reason: String)

    public var description: String {
        switch self {
        case .wrongLength(let source, let count):
            return
                "The ledger key from \(source) is \(count) bytes; it must be \(LedgerKey.byteCount) bytes (base64 in a variable or file)."
        case .notBase64(let source):
            return "The ledger key from \(source) is not base64; it must be \(LedgerKey.byteCount) bytes as base64."
        case .file(let path, let reason):
            return "Cannot use the ledger key file \(path): \(reason)."
        }
    }
}

import Crypto
import Foundation

/// A secret as the ledger stores it: `enc1:` then base64 of a ChaChaPoly box (nonce, ciphertext,
/// tag) under the ledger key's secrets key.
///
/// The authenticated data names the row and column (`jobberConnection`, `refreshToken`, the
/// account id), so a box copied into another row or column fails to open instead of passing for
/// that row's secret. Text without the prefix is a plaintext secret an older posplus stored: it
/// is read as it is and sealed again by the caller (see ``Ledger``'s Jobber connection).
enum SealedSecret {
    static let prefix = "enc1:"

    /// Where a sealed value lives; bound into its authentication.
    struct Place {
        var table: String
        var column: String
        var row: String

        var authenticatedData: Data {
            var text = ""
            for field in [table, column, row] { text += "\(field.utf8.count):\(field)" }
            return Data(text.utf8)
        }
    }

    /// The stored form of `plaintext`. An empty secret (a forgotten token) stays empty.
    static func seal(_ plaintext: String, at place: Place, key: LedgerKey) throws -> String {
        guard !plaintext.isEmpty else { return "" }
        let box = try ChaChaPoly.seal(Data(plaintext.utf8), using: key.secretsKey, authenticating: place.authenticatedData)
        return prefix + box.combined.base64EncodedString()
    }

    /// Whether `stored` is in the sealed form (not an older plaintext row).
    static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    /// The plaintext of `stored`; plaintext rows from older versions are returned as they are.
    /// - Throws: ``LedgerError/secretUnreadable(_:)`` when the box does not open under this key.
    static func open(_ stored: String, at place: Place, key: LedgerKey) throws(LedgerError) -> String {
        guard isSealed(stored) else { return stored }
        guard let combined = Data(base64Encoded: String(stored.dropFirst(prefix.count))),
            let box = try? ChaChaPoly.SealedBox(combined: combined),
            let plaintext = try? ChaChaPoly.open(box, using: key.secretsKey, authenticating: place.authenticatedData)
        else {
            throw .secretUnreadable(place.table == "jobberConnection" ? "the Jobber tokens" : "\(place.table).\(place.column)")
        }
        return String(decoding: plaintext, as: UTF8.self)
    }
}

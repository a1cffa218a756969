import GRDB
import PosPlusCore

/// A currency is stored as its ISO code, TEXT, as the `currency` columns always held it.
///
/// Reading goes through ``PosPlusCore/Currency/init(code:)``: a row whose code posplus does not
/// know fails to decode with GRDB's "could not decode Currency from database value "USS"" and the
/// column, rather than turning into some default. A wrong currency on a money row is a wrong
/// amount, and the ledger must not guess one.
///
/// Both requirements are written out: GRDB's defaults for a `Codable` value would store JSON
/// (`"\"USD\""`), which is not what the column holds.
extension Currency: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { code.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Currency? {
        guard let code = String.fromDatabaseValue(dbValue) else { return nil }
        return try? Currency(code: code)
    }
}

import Foundation
import GRDB
import PosPlusCore
import TestSupport
import Testing

@testable import Ledger

/// The ledger's own date text must be exactly what GRDB would have written, or old and new
/// rows would sort and compare differently.
@Suite("Ledger date text")
struct DatabaseTimeTests {
    @Test func matchesGRDBsFormatForManyDates() {
        var generator = SplitMix64(seed: 20_261_122)
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 1_795_000_000.999), Date(timeIntervalSince1970: 4_102_444_799.5),
            Date(timeIntervalSince1970: -86_400.25),
            // Exactly half a millisecond before 1970: ICU rounds halves up, not away from zero.
            Date(timeIntervalSinceReferenceDate: -1_041_173_894.6085), Date(timeIntervalSinceReferenceDate: -2_958_965_624.4585),
        ]
        for _ in 0..<20_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...6_000_000_000, using: &generator)))
        }
        for date in dates {
            #expect(DatabaseTime.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
    }
}

import Bridge
import Foundation
import Ledger
import PosPlusCore
import TestSupport

/// A real ledger file with staff services over it, on a clock the test moves, with bcrypt at
/// its lowest cost so tests stay fast.
struct StaffWorld {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-staff-\(UUID().uuidString)")
    let clock = SteppingDate()
    var settings = StaffSettings()
    let ledger: Ledger

    init(settings: StaffSettings = StaffWorld.testSettings) throws {
        self.settings = settings
        ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests, clock: { [clock] in clock.date })
    }

    static var testSettings: StaffSettings {
        var settings = StaffSettings()
        settings.bcryptCost = 4
        return settings
    }

    var path: String { folder.appendingPathComponent("ledger.sqlite").path }
    var directory: StaffDirectory { StaffDirectory(ledger: ledger, settings: settings) }
    var sessions: StaffSessions { StaffSessions(directory: directory, settings: settings) }
    var tokens: APITokens { APITokens(directory: directory, settings: settings) }

    /// A second process's view: its own connection pool on the same file.
    func secondView() throws -> Ledger { try Ledger.open(at: path, key: .forTests, clock: { [clock] in clock.date }) }

    @discardableResult
    func add(_ name: String, _ role: StaffRole, password: String = "correct horse") async throws -> StaffRecord {
        try await directory.add(name, role: role, password: try StaffPassword(password), by: "test")
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

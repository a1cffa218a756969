import Foundation
import Ledger

/// Whether a login may be tried now, from the failures the ledger counted. No I/O: the
/// ledger supplies the failures, the caller the time.
///
/// A name with ``StaffSettings/loginAttempts`` failures inside the window is locked until the
/// oldest of them leaves the window; an address with ``StaffSettings/addressAttempts`` likewise.
/// Unknown names are counted like real ones, so a lock says nothing about who exists. While
/// locked, attempts are refused before any password is checked and are not counted, so a lock
/// ends when it says it will.
public struct LoginThrottle: Sendable {
    public var settings: StaffSettings

    public init(settings: StaffSettings) { self.settings = settings }

    /// Where failures start counting for a check at `now`.
    public func windowStart(at now: Date) -> Date { now.addingTimeInterval(-settings.loginWindow.timeInterval) }

    /// Nil when a login may be tried; otherwise why not and until when.
    public func lock(_ failures: LoginFailureCounts, at now: Date) -> StaffError? {
        let window = settings.loginWindow.timeInterval
        func until(_ times: [Date], limit: Int) -> Date? {
            guard times.count >= limit else { return nil }
            return times[times.count - limit].addingTimeInterval(window)  // when the count drops below the limit
        }
        let byName = until(failures.byName, limit: settings.loginAttempts)
        let byAddress = until(failures.byAddress, limit: settings.addressAttempts)
        guard let retry = [byName, byAddress].compactMap({ $0 }).max(), retry > now else { return nil }
        return .locked(retryAfter: Int(retry.timeIntervalSince(now).rounded(.up)), byAddress: byName == nil)
    }
}

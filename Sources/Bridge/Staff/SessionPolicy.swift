import Foundation
import Ledger

/// Whether a stored session still holds at a time, and whether its use should be written.
/// No I/O: the ledger supplies the row, the caller the time.
public struct SessionPolicy: Sendable {
    public var settings: StaffSettings

    public init(settings: StaffSettings) { self.settings = settings }

    public enum Standing: Equatable, Sendable {
        /// In force; `touch` when `lastSeenAt` is stale enough to write again.
        case active(touch: Bool)
        /// Over; the sentence says why, for the 401.
        case ended(String)
    }

    /// When a session opened at `login` ends at the latest.
    public func expiry(openedAt login: Date) -> Date { login.addingTimeInterval(settings.sessionMax.timeInterval) }

    public func standing(of session: StaffSessionRecord, staff: StaffRecord, at now: Date) -> Standing {
        if session.revokedAt != nil { return .ended("You logged out, or your session was ended; log in again.") }
        if staff.isDisabled { return .ended("Your staff account is disabled; ask an owner.") }
        if now >= session.expiresAt {
            return .ended("Your session reached its \(Self.spoken(settings.sessionMax)) limit; log in again.")
        }
        let idle = now.timeIntervalSince(session.lastSeenAt)
        if idle >= settings.sessionIdle.timeInterval {
            return .ended("Your session ended after \(Self.spoken(settings.sessionIdle)) without use; log in again.")
        }
        return .active(touch: idle >= settings.touchInterval.timeInterval)
    }

    /// "30 minutes", "12 hours", "90 seconds".
    static func spoken(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds % 3_600 == 0 { return seconds == 3_600 ? "1 hour" : "\(seconds / 3_600) hours" }
        if seconds % 60 == 0 { return seconds == 60 ? "1 minute" : "\(seconds / 60) minutes" }
        return "\(seconds) seconds"
    }
}

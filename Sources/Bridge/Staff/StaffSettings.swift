import Foundation

/// How staff logins behave: `staff.*` in the configuration.
public struct StaffSettings: Equatable, Sendable {
    /// A session unused for this long ends (`staff.session_idle`).
    public var sessionIdle: Duration = .seconds(30 * 60)
    /// A session ends this long after login however busy it is (`staff.session_max`).
    public var sessionMax: Duration = .seconds(12 * 3_600)
    /// bcrypt's cost, log2 of its rounds (`staff.bcrypt_cost`). 12 takes a few hundred
    /// milliseconds here; every step up doubles it, for a person logging in and an attacker alike.
    public var bcryptCost = 12
    /// Failed logins under one name within ``loginWindow`` before that name is locked out until
    /// the oldest of them is older than the window (`staff.login_attempts`).
    public var loginAttempts = 5
    /// The window failures are counted in.
    public var loginWindow: Duration = .seconds(15 * 60)

    /// Failed logins from one client address within the window: enough for a counter where
    /// several people mistype, few enough to stop one machine trying name after name.
    public var addressAttempts: Int { loginAttempts * 4 }

    /// The lowest cost the settings accept: bcrypt's own floor. Below 10 is for tests only.
    public static let bcryptCosts = 4...16

    /// How stale `lastSeenAt` may get before a request writes it again: a tenth of the idle
    /// limit, at most a minute. Idle expiry is exact to within this, and a busy console costs a
    /// write a minute rather than one per request.
    public var touchInterval: Duration { min(.seconds(60), sessionIdle / 10) }

    public init() {}
}

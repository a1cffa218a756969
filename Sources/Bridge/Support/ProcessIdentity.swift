import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Which process on this machine started an attempt, so a run waiting for another one's answer
/// can tell "still waiting for the card" from "killed": the process id and its start time (a
/// reused pid has another start time), read from `/proc`.
enum ProcessIdentity {
    /// `pid:starttime` of this process.
    static let current: String? = identity(of: getpid())

    /// Whether the process `owner` names is still running. Where it cannot be told (another
    /// system, an unreadable `/proc`), it is taken as running: waiting is the safe side.
    static func isAlive(_ owner: String) -> Bool {
        let parts = owner.split(separator: ":")
        guard parts.count == 2, let pid = Int32(parts[0]), pid > 0 else { return true }
        guard FileManager.default.fileExists(atPath: "/proc/self/stat") else { return true }
        return identity(of: pid) == owner
    }

    /// Field 22 of `/proc/PID/stat` (start time in clock ticks since boot), read after the
    /// command name, which may itself hold spaces and parentheses.
    static func identity(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ")": state is field 3, so start time (field 22) is the 20th.
        guard fields.count > 19 else { return nil }
        return "\(pid):\(fields[19])"
    }
}

import Bridge
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One line on standard error redrawn in place — `[######······] 12/40 Jobber invoices` — for
/// runs long enough to wonder about. Drawn only when both standard output and standard error are
/// terminals, so output that is piped, redirected or read by a script never carries it.
struct ProgressLine: Sendable {
    static var wanted: Bool { isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    static let width = 24

    /// The text of one redraw (without the carriage return and erase).
    static func text(_ progress: ReconcileProgress) -> String {
        let total = max(progress.total, 1)
        let filled = min(width, progress.done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled)
        return "[\(bar)] \(progress.done)/\(progress.total) \(progress.step)"
    }

    func draw(_ progress: ReconcileProgress) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.text(progress)).utf8))
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
